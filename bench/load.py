"""The learner mix under load, on the production shape: gunicorn, PostgreSQL and Redis.

Run it from the repository root, with PostgreSQL and Redis running:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maalem \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/load.py [--users 50 200] [--duration 60] [--workers 4] [--small]

It creates a throwaway database beside DATABASE_URL's (its name plus ``_load``, dropped at the
end), migrates it, loads the demo data and signs in one learner per simulated user, enrolled in
the French courses. It starts gunicorn with config/gunicorn.py and the production settings
(DEBUG off, connections kept open, the cache on Redis: CACHE_URL, or the broker's Redis), then
runs Locust headless (bench/learners.py) once per user count, for a bounded time, after every
user has started: catalogue, course page, lesson page, a lesson-done sync POST and My learning.

It prints, per user count, requests/s, the median, p95 and p99 in milliseconds and the errors,
and exits 1 if any request failed. Locust runs on the same machine as the site and takes some of
its CPU. ``--small`` runs 5 users for 10 s, for CI. ``--in-place`` uses DATABASE_URL's database
itself, already migrated, instead of a throwaway one (the test suite passes its own test
database, so CI migrates once).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import free_port, stop  # noqa: E402

LANGUAGE = "fr"


def environment(database_url: str, var_dir: str) -> dict[str, str]:
    """A production machine's environment, on throwaway secrets and files."""
    from lms.certificates.keys import new_signing_key

    broker = os.environ["CELERY_BROKER_URL"]
    cache = os.environ.get("CACHE_URL") or broker.replace("redis://", "rediscache://", 1)
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH", "TMPDIR"}
    return {
        **{key: value for key, value in os.environ.items() if key in keep},
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "MAALEM_VAR_DIR": var_dir,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "CACHE_URL": cache,
        "CONN_MAX_AGE": "60",
        "SECRET_KEY": "bench-only-throwaway-key-0123456789-abcdefghijklmnop",
        "PII_SALT_KEYS": "bench-only-throwaway-salt",
        "PII_HMAC_KEY": "bench-only-throwaway-hmac",
        "PHONE_HMAC_KEY": "bench-only-throwaway-phone-hmac",
        "PAYMENTS_WEBHOOK_SECRETS": "bench-only-throwaway-webhook-secret",
        "CERTIFICATE_SIGNING_KEY": new_signing_key(),
        "LOG_LEVEL": "WARNING",
    }


def admin_query(database_url: str, statement: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute(statement)


def prepare(plan_path: str, learners: int) -> None:
    """In the site's environment: the schema, the demo, static files, and signed-in learners."""
    import io

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from lms.courses.models import CourseIndexPage, CoursePage, LessonPage
    from lms.courses.services import PrerequisitesMissing, enrol

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    call_command("load_demo_data", verbosity=0, stdout=io.StringIO(), skip_checks=True)
    call_command("collectstatic", verbosity=0, interactive=False, skip_checks=True)

    catalogue = CourseIndexPage.objects.live().filter(locale__language_code=LANGUAGE).first()
    assert catalogue is not None, "the demo data has no French catalogue"
    # The courses a new learner may enrol in: those with no prerequisite.
    probe = get_user_model().objects.create_user(username="load-probe")
    course_pages = []
    for course in CoursePage.objects.live().child_of(catalogue).order_by("path"):
        try:
            enrol(probe, course)
        except PrerequisitesMissing:
            continue
        course_pages.append(course)
    courses = []
    for course in course_pages:
        lessons = [
            {"id": lesson.pk, "url": lesson.url}
            for lesson in LessonPage.objects.live().child_of(course).order_by("path")
            if not lesson.is_quiz
        ]
        if lessons:
            courses.append({"url": course.url, "lessons": lessons})
    plan_learners = []
    backend = "django.contrib.auth.backends.ModelBackend"
    assert backend in settings.AUTHENTICATION_BACKENDS
    for number in range(learners):
        user = get_user_model().objects.create_user(username=f"load-learner-{number}")
        for course in course_pages:
            enrol(user, course)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        plan_learners.append({"session": session.session_key, "csrf": get_random_string(32)})
    plan = {
        "language": LANGUAGE,
        "catalogue": catalogue.url,
        "courses": courses,
        "sync": reverse("lms_api:sync_events"),
        "my_learning": f"/{LANGUAGE}/learn/",
        "learners": plan_learners,
    }
    Path(plan_path).write_text(json.dumps(plan), encoding="utf-8")


def wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not become ready; see {log}")
        time.sleep(0.5)


def run_locust(
    url: str, users: int, duration: int, env: dict[str, str], folder: Path
) -> dict[str, str]:
    prefix = folder / f"locust-{users}"
    spawn_rate = max(users // 5, 1)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "learners.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            # The figures count from the moment every user has started.
            "--reset-stats",
            "--run-time",
            f"{duration + users // spawn_rate}s",
            "--host",
            url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / f"locust-{users}.log", "wb"),
        check=False,
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                return row
    raise SystemExit(f"Locust wrote no figures; see {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--duration", type=int, default=60, help="seconds per user count")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"))
    parser.add_argument("--small", action="store_true", help="5 users for 10 s, for CI")
    parser.add_argument(
        "--in-place", action="store_true", help="use DATABASE_URL's database, not a throwaway one"
    )
    parser.add_argument("--prepare", nargs=2, metavar=("PLAN", "LEARNERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare[0], int(args.prepare[1]))
        return
    if args.small:
        args.users, args.duration = [5], 10
    database_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not broker.startswith(
        "redis://"
    ):
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL database and CELERY_BROKER_URL to a Redis one: "
            "this bench measures the production shape."
        )
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") + "_load"
    load_url = database_url if args.in_place else urlunsplit(parts._replace(path="/" + name))
    if not args.in_place:
        admin_query(database_url, f'DROP DATABASE IF EXISTS "{name}"')
        admin_query(database_url, f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="maalem-load-") as var_dir:
            folder = Path(var_dir)
            env = environment(load_url, var_dir)
            plan = folder / "plan.json"
            print(f"Preparing the site ({max(args.users)} learners)...", flush=True)
            subprocess.run(
                [sys.executable, __file__, "--prepare", str(plan), str(max(args.users))],
                cwd=ROOT,
                env=env,
                check=True,
            )
            data = json.loads(plan.read_text(encoding="utf-8"))
            data["think"] = args.think
            plan.write_text(json.dumps(data), encoding="utf-8")
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            web_env = {
                **env,
                "WEB_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": str(args.workers),
                "WEB_THREADS": str(args.threads),
                "WEB_ACCESS_LOG": str(folder / "access.log"),
            }
            log = folder / "gunicorn.log"
            with open(log, "wb") as output:
                server = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--config", "python:config.gunicorn"]
                    + ["config.wsgi"],
                    cwd=ROOT,
                    env=web_env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            try:
                wait_ready(url, server, log)
                report(args, url, {**env, "MAALEM_LOAD_PLAN": str(plan)}, folder)
            finally:
                stop(server)
    finally:
        if not args.in_place:
            admin_query(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(args: argparse.Namespace, url: str, env: dict[str, str], folder: Path) -> None:
    print(
        f"gunicorn: {args.workers} workers x {args.threads} threads on {os.cpu_count()} CPUs; "
        f"think time {args.think[0]}-{args.think[1]} s; {args.duration} s per run"
    )
    print(
        f"{'learners':>8}  {'requests':>8}  {'req/s':>7}  {'p50 ms':>7}  {'p95 ms':>7}  "
        f"{'p99 ms':>7}  {'errors':>6}"
    )
    errors = 0
    for users in args.users:
        row = run_locust(url, users, args.duration, env, folder)
        failures = int(row["Failure Count"])
        errors += failures
        print(
            f"{users:>8}  {row['Request Count']:>8}  {float(row['Requests/s']):>7.1f}  "
            f"{row['50%']:>7}  {row['95%']:>7}  {row['99%']:>7}  {failures:>6}",
            flush=True,
        )
    if errors:
        failures_csv = sorted(folder.glob("locust-*_failures.csv"))
        for path in failures_csv:
            print(path.read_text(encoding="utf-8"))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
