"""The per-course progress report counted from scratch, straight from the learners' records, as
the report computed it before it read kept-up totals: the reference the totals are checked against
(and the "before" of bench/progress_report.py)."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, F

from lms.courses.models import CourseCompletion, CoursePage, Enrolment, QuizAttempt
from lms.courses.report_data import CourseReportRow, rank_most_failed


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def failures_per_question(keys: list[uuid.UUID]) -> list[tuple[uuid.UUID, uuid.UUID, str, int]]:
    """(course key, lesson key, question id, failed attempts), counted by the database's JSON
    functions over every attempt."""
    if not keys:
        return []
    attempts = (
        QuizAttempt.objects.filter(enrolment__course_key__in=keys)
        .annotate(course=F("enrolment__course_key"))
        .values("course", "lesson_key", "results")
        .order_by()
    )
    inner, params = attempts.query.sql_with_params()
    if connection.vendor == "postgresql":
        unpack, is_false = "jsonb_each(a.results) AS r", "r.value = 'false'::jsonb"
    else:
        unpack, is_false = "json_each(a.results) AS r", "r.type = 'false'"
    sql = (
        f"SELECT a.course, a.lesson_key, r.key, COUNT(*) FROM ({inner}) AS a, {unpack} "
        f"WHERE {is_false} GROUP BY a.course, a.lesson_key, r.key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(_as_uuid(c), _as_uuid(lesson), str(q), int(n)) for c, lesson, q, n in cursor]


def recount(courses: dict[uuid.UUID, CoursePage]) -> list[CourseReportRow]:
    keys = list(courses)
    rows = {key: CourseReportRow(page_id=c.pk, title=c.title) for key, c in courses.items()}
    for key, count in (
        Enrolment.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[key].enrolled = count
    for key, count in (
        CourseCompletion.objects.filter(course_key__in=keys)
        .values_list("course_key")
        .annotate(Count("pk"))
        .order_by()
    ):
        rows[key].completed = count
    for key, average in (
        QuizAttempt.objects.filter(enrolment__course_key__in=keys)
        .values_list("enrolment__course_key")
        .annotate(Avg("score"))
        .order_by()
    ):
        rows[key].average_score = round(average) if average is not None else None
    failures: dict[uuid.UUID, Counter[tuple[uuid.UUID, str]]] = defaultdict(Counter)
    for key, lesson_key, question_id, count in failures_per_question(keys):
        failures[key][(lesson_key, question_id)] += count
    rank_most_failed(rows, failures)
    return sorted(rows.values(), key=lambda row: row.title.casefold())
