"""bench/load.py keeps working: a few learners for a few seconds on gunicorn, PostgreSQL and
Redis (the figures themselves are for people to read, never asserted). It runs on this test
run's database, already migrated; the flush after the test takes the demo data away again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import default_site, root_collection
from tests.worker import test_database_url as suite_database_url

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.scale, pytest.mark.django_db(transaction=True)]


def test_the_load_bench_runs_the_learner_mix_without_errors():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "CELERY_BROKER_URL", ""
    ).startswith("redis://"):
        pytest.skip("bench/load.py measures the production shape: PostgreSQL and Redis")
    environment = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    environment["DATABASE_URL"] = suite_database_url()
    # What the migrations made, which an earlier test's flush may have taken away.
    default_site()
    root_collection()

    result = subprocess.run(
        [sys.executable, "bench/load.py", "--small", "--in-place"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=1200,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "req/s" in result.stdout and "p95 ms" in result.stdout, result.stdout
    (row,) = re.findall(
        r"^\s+5\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", result.stdout, re.M
    )
    requests, errors = int(row[0]), int(row[5])
    assert requests > 0
    assert errors == 0
