"""Every admin, learner and public page, and every export, timed on a national-size dataset.

Run it from the repository root against a PostgreSQL database:

    DATABASE_URL=postgres://…/maalem_scale .venv/bin/python bench/scale.py [--learners 420000]
        [--rounds 20] [--skip 'lms_learner_report ('] [--only 'onboarding_case:']
        [--jobs [--job lms_learner_report]]

If the database has no dataset of that size yet, it first runs ``manage.py load_demo_data``
(when there is no course) and ``manage.py load_scale_data --learners N --reset``; a database
already loaded at that size is reused as it is. It then asks for each page of
:func:`bench.scale_pages.targets` ``--rounds`` times with Django's test client, as a role that
may open it, and prints a table: median and 95th percentile time, the number of SQL queries, the
peak Python memory, and PASS or OVER against 300 ms (median). An export written by a worker is
timed from the request to its redirect; ``--jobs`` then runs each background export whole, in
this process as the worker would, and prints its rows per second and peak memory.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MAALEM_VAR_DIR", tempfile.mkdtemp(prefix="maalem-bench-scale-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "true"
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.scale_exports import jobs_table  # noqa: E402
from bench.scale_pages import ADMIN_NAME, measure_all, table  # noqa: E402
from demo.scale.reset import PREFIX  # noqa: E402
from lms.courses.models import CoursePage  # noqa: E402


def ensure_dataset(learners: int) -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("bench/scale.py needs DATABASE_URL set to a PostgreSQL database.")
    call_command("migrate", verbosity=0)
    if not CoursePage.objects.exists():
        call_command("load_demo_data")
    loaded = get_user_model().objects.filter(username__startswith=PREFIX).count()
    if loaded == learners:
        print(f"Reusing the dataset of {loaded:,} learners already loaded.")
        return
    call_command("load_scale_data", learners=learners, reset=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=420_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out the pages whose label has this"
    )
    parser.add_argument(
        "--only", action="append", default=[], help="time only the pages whose label has this"
    )
    parser.add_argument(
        "--jobs", action="store_true", help="then time each background export's job at size"
    )
    parser.add_argument(
        "--job", action="append", default=[], help="with --jobs: only the reports named so"
    )
    args = parser.parse_args()
    ensure_dataset(args.learners)
    # The test client needs its host allowed; the queries are counted with DEBUG's cursor.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        print(table(measure_all(args.rounds, tuple(args.skip), tuple(args.only))))
        if args.jobs:
            admin = get_user_model().objects.get(username=ADMIN_NAME)
            print(jobs_table(admin, tuple(args.job)))


if __name__ == "__main__":
    main()
