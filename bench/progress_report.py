"""What the trainers' progress report costs on a national-size dataset, old way against new.

Run it from the repository root:

    .venv/bin/python bench/progress_report.py [--learners 20000] [--rounds 3]

It builds a throwaway SQLite site in a temporary folder (so it never touches var/ or a
DATABASE_URL): four courses of four lessons and a three-question quiz, every learner enrolled
in two of them, with their lessons done and quiz attempts written by bulk_create. It prints,
measured in one run, side by side:

a) the per-course report computed three ways: every quiz attempt's JSON results read into
   Python and counted there; every record counted by the database on each view (the report
   before its totals were kept); and the kept totals read (the report now). Median time and
   peak Python memory of each, their ratios, and whether they give the same numbers. The
   dataset is written by bulk_create, around the services, so its totals are first counted
   with ``rebuild_report_rollups`` (timed too);
b) one page of the per-learner report and the whole per-learner CSV export through the admin,
   with their query counts, against the number of rows.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MAALEM_VAR_DIR"] = tempfile.mkdtemp(prefix="maalem-bench-report-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "true"
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Avg, Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from lms.courses.models import (  # noqa: E402
    CourseCompletion,
    CoursePage,
    Enrolment,
    LessonProgress,
    QuizAttempt,
)
from lms.courses.report_data import _question_prompts, progress_report  # noqa: E402
from tests.builders import make_catalogue, make_course, make_learner  # noqa: E402
from tests.courses.report_recount import recount  # noqa: E402

COURSES = 4
LESSONS = 4


def old_progress_report(courses: dict[uuid.UUID, CoursePage]) -> dict[uuid.UUID, Any]:
    """The report as it was: the counts in the database, the failures read into Python."""
    keys = list(courses)
    rows: dict[uuid.UUID, dict[str, Any]] = {key: {} for key in keys}
    for key, count in (
        Enrolment.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(Count("pk"))
    ).order_by():
        rows[key]["enrolled"] = count
    for key, count in (
        CourseCompletion.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[key]["completed"] = count
    attempts = QuizAttempt.objects.filter(enrolment__course_key__in=keys)
    for key, average in (
        attempts.values_list("enrolment__course_key").annotate(Avg("score")).order_by()
    ):
        rows[key]["average"] = average
    failures: dict[uuid.UUID, Counter[tuple[uuid.UUID, str]]] = defaultdict(Counter)
    for key, lesson_key, results in attempts.values_list(
        "enrolment__course_key", "lesson_key", "results"
    ):
        failures[key].update((lesson_key, q) for q, right in results.items() if not right)
    prompts = _question_prompts({lesson for c in failures.values() for lesson, _q in c})
    for key, counter in failures.items():
        rows[key]["most_failed"] = [(prompts.get(q, q[1]), n) for q, n in counter.most_common(3)]
    return rows


def build(learners: int, attempts_per_quiz: int) -> tuple[Any, dict[uuid.UUID, CoursePage]]:
    catalogue = make_catalogue()
    courses = [make_course(catalogue, lessons=LESSONS, title=f"Course {n}") for n in range(COURSES)]
    plan = []
    for course in courses:
        lessons = list(course.get_children().specific().order_by("path"))
        quiz = lessons[-1]
        plan.append(
            (
                course,
                [p.translation_key for p in lessons[:-1]],
                quiz.translation_key,
                [q.id for q in quiz.questions],
            )
        )
    User = get_user_model()
    rng = random.Random(42)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(username=f"bench-{n}", first_name="Learner", last_name=str(n), password="!")
                for n in range(learners)
            ],
            batch_size=2000,
        )
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(learner=user, course_key=plan[(i + k) % COURSES][0].translation_key)
                for i, user in enumerate(users)
                for k in range(2)
            ],
            batch_size=2000,
        )
        by_key = {entry[0].translation_key: entry for entry in plan}
        progress, attempts, completions = [], [], []
        for enrolment in enrolments:
            _course, reading, quiz_key, questions = by_key[enrolment.course_key]
            # Most learners reach the quiz; the others stop somewhere along the way.
            done = len(reading) if rng.random() < 0.6 else rng.randint(0, len(reading) - 1)
            progress += [LessonProgress(enrolment=enrolment, lesson_key=k) for k in reading[:done]]
            if done < len(reading):
                continue
            for number in range(1, rng.randint(1, attempts_per_quiz) + 1):
                results = {q: rng.random() < 0.7 for q in questions}
                score = round(100 * sum(results.values()) / len(results))
                attempts.append(
                    QuizAttempt(
                        enrolment=enrolment,
                        lesson_key=quiz_key,
                        number=number,
                        score=score,
                        passed=score >= 70,
                        answers={q: [] for q in questions},
                        results=results,
                    )
                )
            if attempts[-1].passed:
                completions.append(
                    CourseCompletion(
                        learner_id=enrolment.learner_id,
                        course_key=enrolment.course_key,
                        enrolment=enrolment,
                        score=attempts[-1].score,
                    )
                )
        LessonProgress.objects.bulk_create(progress, batch_size=5000)
        QuizAttempt.objects.bulk_create(attempts, batch_size=5000)
        CourseCompletion.objects.bulk_create(completions, batch_size=5000)
    print(
        f"dataset: {learners} learners, {len(enrolments)} enrolments, {len(progress)} lessons "
        f"done, {len(attempts)} quiz attempts, {len(completions)} completions"
    )
    admin = make_learner("bench-admin", is_superuser=True, is_staff=True)
    return admin, {course.translation_key: course for course in courses}


def measure(function: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """Median seconds over ``rounds`` calls, then the peak MiB of Python memory of one more call
    (measured apart: tracing every allocation slows the Python side down)."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), peak


def through_admin(client: Client, url: str, params: dict[str, str]) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url, params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed, len(queries), body.count(b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=20000)
    parser.add_argument("--attempts", type=int, default=3, help="most attempts per quiz")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    admin, courses = build(args.learners, args.attempts)

    started = time.perf_counter()
    call_command("rebuild_report_rollups", stdout=io.StringIO())
    rebuilt = time.perf_counter() - started
    old_time, old_peak = measure(lambda: old_progress_report(courses), args.rounds)
    db_time, db_peak = measure(lambda: recount(courses), args.rounds)
    new_time, new_peak = measure(lambda: progress_report(courses), args.rounds)
    same = [vars(row) for row in recount(courses)] == [
        vars(row) for row in progress_report(courses)
    ]
    print(f"\na) per-course report (median of {args.rounds})")
    print(f"   failures counted in Python:        {old_time:7.3f} s  peak {old_peak:7.1f} MiB")
    print(f"   before: records counted each view: {db_time:7.3f} s  peak {db_peak:7.1f} MiB")
    print(f"   now: kept totals read:             {new_time:7.3f} s  peak {new_peak:7.1f} MiB")
    print(
        f"   time ratio now/before: {new_time / db_time:.3f}   now/Python: "
        f"{new_time / old_time:.3f}   same numbers: {'yes' if same else 'NO'}"
    )
    print(f"   rebuild_report_rollups over the whole dataset: {rebuilt:.3f} s")

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(admin)
        url = reverse("lms_learner_report")
        client.get(url)  # the first admin page loads the templates and the hooks
        page_time, page_queries, _lines = through_admin(client, url, {})
        csv_time, csv_queries, csv_lines = through_admin(client, url, {"export": "csv"})
    print("\nb) per-learner report through the admin")
    print(f"   one page of 50 rows: {page_time:7.3f} s, {page_queries} queries")
    print(f"   CSV of {csv_lines - 1} rows:   {csv_time:7.3f} s, {csv_queries} queries (streamed)")


if __name__ == "__main__":
    main()
