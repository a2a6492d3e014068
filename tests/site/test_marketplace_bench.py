"""bench/marketplace.py keeps working: a few hundred products on PostgreSQL, every kind of search
and the product page's bytes printed (the figures are for people to read, never asserted). It
runs on this test run's database, already migrated; the flush after the test takes its sellers
and products away again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import worker
from tests.builders import default_site, root_collection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.scale, pytest.mark.django_db(transaction=True)]


def test_the_marketplace_bench_times_every_kind_of_search_and_weighs_a_product_page():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("bench/marketplace.py measures PostgreSQL's full text search")
    environment = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    environment["DATABASE_URL"] = worker.test_database_url()
    # What the migrations made, which an earlier test's flush may have taken away.
    default_site()
    root_collection()

    result = subprocess.run(
        [sys.executable, "bench/marketplace.py", "--products", "300", "--sellers", "4"]
        + ["--rounds", "2", "--orders", "0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    rows = re.findall(
        r"^(1 word|2 words|Arabic|French|rare|filtered) +(.+?) +([\d,]+) +([\d.]+)ms +([\d.]+)ms"
        r" +([\d.]+)x$",
        result.stdout,
        re.M,
    )
    assert {row[0] for row in rows} == {"1 word", "2 words", "Arabic", "French", "rare", "filtered"}
    found = {label: int(count.replace(",", "")) for _kind, label, count, *_times in rows}
    assert found["Arabic word with its article"] > 0, result.stdout
    assert found["a word no product has"] == 0, result.stdout
    assert re.search(r"first visit without media: [\d,]+ B of the 51,200 B budget", result.stdout)
