"""Keeping the progress report's totals (:mod:`lms.courses.models.rollups`) true as learners work.

Every write that changes a total calls one of the ``count_*`` functions inside its own
transaction, so the change and the total commit or roll back together. A function adds its changes
with one ``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`` per table: the database adds to
the value it holds when the statement runs, so two writers at once never overwrite each other's
count, on PostgreSQL as on SQLite. Rows are written in a fixed order (sorted keys), so two writers
touching several rows cannot wait on each other in a circle.

Should the totals ever drift (rows deleted by hand, a restored backup), ``manage.py
rebuild_report_rollups`` counts them again from the learners' records.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Count, Sum

from .models import CourseCompletion, CourseRollup, Enrolment, QuestionRollup, QuizAttempt
from .models.rollups import SHARDS

COURSE_KEYS = ("course_key", "shard")
COURSE_TOTALS = ("enrolled", "completed", "quiz_attempts", "score_sum")
QUESTION_KEYS = ("course_key", "lesson_key", "question_id", "shard")

CourseChanges = Mapping[tuple[uuid.UUID, int], Sequence[int]]
QuestionChanges = Mapping[tuple[uuid.UUID, uuid.UUID, str, int], int]


def shard_of(enrolment_id: int) -> int:
    return enrolment_id % SHARDS


def upsert_adding(
    model: Any, keys: Sequence[str], totals: Sequence[str], rows: Iterable[Any]
) -> str:
    """The SQL that inserts ``rows`` (keys then totals) into ``model``'s table, or adds their
    totals to the row already there. Also used by the rebuild, with a SELECT for the rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*keys, *totals))
    adding = ", ".join(
        f"{name} = {table}.{name} + excluded.{name}"
        for name in (connection.ops.quote_name(c) for c in totals)
    )
    conflict = ", ".join(connection.ops.quote_name(c) for c in keys)
    return f"INSERT INTO {table} ({columns}) {rows} ON CONFLICT ({conflict}) DO UPDATE SET {adding}"


def _values(model: Any, names: Sequence[str], rows: list[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    fields = [model._meta.get_field(name) for name in names]
    params: list[Any] = []
    for row in rows:
        params += [f.get_db_prep_value(v, connection) for f, v in zip(fields, row, strict=True)]
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    return "VALUES " + ", ".join([one] * len(rows)), params


def add(courses: CourseChanges, questions: QuestionChanges | None = None) -> None:
    """Add ``courses`` ((course key, shard) -> the changes of ``COURSE_TOTALS``) and
    ``questions`` ((course key, lesson key, question id, shard) -> failures) to the totals."""
    course_rows = [(*key, *courses[key]) for key in sorted(courses) if any(courses[key])]
    question_rows = [(*key, n) for key, n in sorted((questions or {}).items()) if n]
    with connection.cursor() as cursor:
        if course_rows:
            values, params = _values(CourseRollup, (*COURSE_KEYS, *COURSE_TOTALS), course_rows)
            cursor.execute(upsert_adding(CourseRollup, COURSE_KEYS, COURSE_TOTALS, values), params)
        if question_rows:
            values, params = _values(QuestionRollup, (*QUESTION_KEYS, "failures"), question_rows)
            cursor.execute(
                upsert_adding(QuestionRollup, QUESTION_KEYS, ("failures",), values), params
            )


def count_enrolment(enrolment: Enrolment) -> None:
    add({(enrolment.course_key, shard_of(enrolment.pk)): (1, 0, 0, 0)})


def count_completions(completions: Sequence[CourseCompletion]) -> None:
    changes: Counter[tuple[uuid.UUID, int]] = Counter()
    for completion in completions:
        changes[(completion.course_key, shard_of(completion.enrolment_id))] += 1
    add({key: (0, n, 0, 0) for key, n in changes.items()})


def count_attempts(attempts: Sequence[QuizAttempt]) -> None:
    """Count new attempts; each one's ``enrolment`` is the (already read) enrolment it is in."""
    courses: dict[tuple[uuid.UUID, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    questions: Counter[tuple[uuid.UUID, uuid.UUID, str, int]] = Counter()
    for attempt in attempts:
        course_key, shard = attempt.enrolment.course_key, shard_of(attempt.enrolment_id)
        totals = courses[(course_key, shard)]
        totals[2] += 1
        totals[3] += attempt.score
        for question_id, right in attempt.results.items():
            if right is False:  # as the database counts them: the JSON value false
                questions[(course_key, attempt.lesson_key, str(question_id), shard)] += 1
    add(courses, questions)


def uncount_learner(learner_id: int) -> None:
    """Take out of the totals the quiz attempts of a learner, and those of her enrolments that
    have no completion: what erasing her progress deletes. Call it before deleting them."""
    attempts = QuizAttempt.objects.filter(enrolment__learner_id=learner_id)
    courses: dict[tuple[uuid.UUID, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for enrolment_id, course_key, n, score_sum in (
        attempts.values_list("enrolment_id", "enrolment__course_key")
        .annotate(Count("pk"), Sum("score"))
        .order_by()
    ):
        courses[(course_key, shard_of(enrolment_id))][2:] = [-n, -(score_sum or 0)]
    for enrolment_id, course_key in Enrolment.objects.filter(
        learner_id=learner_id, completion__isnull=True
    ).values_list("pk", "course_key"):
        courses[(course_key, shard_of(enrolment_id))][0] -= 1
    questions: Counter[tuple[uuid.UUID, uuid.UUID, str, int]] = Counter()
    for enrolment_id, course_key, lesson_key, results in attempts.values_list(
        "enrolment_id", "enrolment__course_key", "lesson_key", "results"
    ):
        # One learner's attempts: a few dozen at most, read to count her wrong answers.
        for question_id, right in results.items():
            if right is False:
                questions[(course_key, lesson_key, str(question_id), shard_of(enrolment_id))] -= 1
    add(courses, questions)


def current_totals() -> dict[uuid.UUID, tuple[Any, ...]]:
    """Each course's totals as held now (shards added up), with its failures per question."""
    totals: dict[uuid.UUID, tuple[Any, ...]] = {}
    for key, *numbers in (
        CourseRollup.objects.values_list("course_key")
        .annotate(*(Sum(name) for name in COURSE_TOTALS))
        .order_by()
    ):
        totals[key] = tuple(numbers)
    failures: dict[uuid.UUID, dict[tuple[uuid.UUID, str], int]] = defaultdict(dict)
    for key, lesson, question, n in (
        QuestionRollup.objects.values_list("course_key", "lesson_key", "question_id")
        .annotate(Sum("failures"))
        .order_by()
    ):
        if n:
            failures[key][(lesson, question)] = n
    return {
        key: (*totals.get(key, (0, 0, 0, 0)), failures.get(key, {}))
        for key in totals.keys() | failures.keys()
        if any(totals.get(key, ())) or failures.get(key)
    }
