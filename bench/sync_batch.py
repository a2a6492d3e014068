"""What a sync batch of 50 events costs, one event at a time against the whole batch at once.

Run it from the repository root:

    PYTHONPATH=$PWD .venv/bin/python bench/sync_batch.py [--events 50] [--rounds 5]

It builds a throwaway SQLite site in a temporary folder (so it never touches var/ or a
DATABASE_URL), or uses PostgreSQL with ``--database-url``. Each round enrols a new learner in
a course of four reading lessons and a quiz and sends a batch like a phone back online: lessons
done, wrong answers, a lesson of a course not started, and at the end the passed quiz that
completes the course. It prints, side by side, the queries and the median time of:

a) the batch applied one event at a time (``sync.record`` per event, as before);
b) the batch applied at once (``sync.sync``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MAALEM_VAR_DIR"] = tempfile.mkdtemp(prefix="maalem-bench-sync-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "true"
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("LOG_LEVEL", "WARNING")


def _database_url() -> None:
    url = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--database-url=")), None)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)


_database_url()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lms.courses import services, sync  # noqa: E402
from tests.builders import (  # noqa: E402
    correct_answers,
    lessons_of,
    make_catalogue,
    make_course,
    make_learner,
    wrong_answers,
)


def batch(events: int, lessons: list[Any], other: Any) -> list[sync.Event]:
    *reading, quiz = lessons

    def event(lesson: Any, answers: Any = None) -> dict[str, Any]:
        item = {
            "id": str(uuid.uuid4()),
            "type": "quiz_submitted" if answers is not None else "lesson_done",
            "lesson_id": lesson.pk,
            "occurred_at": "2026-03-02T10:15:00.000Z",
        }
        if answers is not None:
            item["answers"] = answers
        return item

    kinds: list[Callable[[], dict[str, Any]]] = [
        lambda: event(reading[0]),
        lambda: event(quiz, wrong_answers(quiz)),
        lambda: event(reading[1]),
        lambda: event(other),
        lambda: event(reading[2]),
    ]
    items = [kinds[i % len(kinds)]() for i in range(events - len(reading) - 1)]
    items += [event(lesson) for lesson in reading] + [event(quiz, correct_answers(quiz))]
    return sync.parse_batch({"events": items})


def run(apply: Callable[[Any, list[sync.Event]], Any], size: int, rounds: int) -> tuple[int, float]:
    catalogue = make_catalogue()
    other = lessons_of(make_course(catalogue, lessons=1))[0]
    course = make_course(catalogue, lessons=4, max_quiz_attempts=50)
    lessons = lessons_of(course)
    times, queries = [], 0
    for _ in range(rounds):
        learner = make_learner()
        services.enrol(learner, course)
        events = batch(size, lessons, other)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            results = apply(learner, events)
            times.append(time.perf_counter() - start)
        if results[-1].get("passed") is not True:
            raise RuntimeError(f"the last quiz was not passed: {results[-1]}")
        queries = len(captured)
    return queries, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=sync.MAX_BATCH)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="PostgreSQL to use instead of a throwaway SQLite")
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    one_by_one = run(
        lambda learner, events: [sync.record(learner, e) for e in events], args.events, args.rounds
    )
    at_once = run(sync.sync, args.events, args.rounds)
    print(f"a sync batch of {args.events} events on {connection.vendor}, median of {args.rounds}")
    print(f"   one event at a time: {one_by_one[0]:4d} queries  {one_by_one[1] * 1000:7.1f} ms")
    print(f"   the batch at once:   {at_once[0]:4d} queries  {at_once[1] * 1000:7.1f} ms")
    print(
        f"   ratio at once / one at a time: queries {at_once[0] / one_by_one[0]:.3f}, "
        f"time {at_once[1] / one_by_one[1]:.3f}"
    )


if __name__ == "__main__":
    main()
