"""Counting the progress report's totals again from the learners' records.

Used by ``manage.py rebuild_report_rollups`` (to reconcile any drift) and by the migration that
creates the totals. The database does the counting, one range of enrolment ids at a time, and
adds each range's counts to the rows: memory stays the same whatever the number of learners,
and no statement reads more than one range.

It runs in one transaction. On PostgreSQL it first locks the totals against writers: the learners
writing when it starts are waited for (their changes are then in the records it counts), and those
who write while it counts wait for it, then add their changes to the fresh totals. Learners' pages
do not wait; only their writes that change a total do, for the few seconds of the rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from .models.rollups import SHARDS
from .rollups import COURSE_KEYS, COURSE_TOTALS, QUESTION_KEYS, upsert_adding

DEFAULT_BATCH = 50_000
# The shard of an enrolment id, in SQL (the % doubled, as the query has parameters).
MOD = f"%% {SHARDS}"


@dataclass
class Rebuilt:
    courses: int = 0
    enrolments: int = 0
    completions: int = 0
    quiz_attempts: int = 0
    failures: int = 0
    batches: int = 0


def _failed_answers(alias: str) -> tuple[str, str]:
    """The FROM item that unpacks an attempt's results, and the test for a wrong answer."""
    if connection.vendor == "postgresql":
        return f"jsonb_each({alias}.results) AS r", "r.value = 'false'::jsonb"
    return f"json_each({alias}.results) AS r", "r.type = 'false'"  # SQLite's JSON1


def rebuild(
    course_rollup: Any,
    question_rollup: Any,
    enrolment: Any,
    completion: Any,
    attempt: Any,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> Rebuilt:
    """Replace the totals with a fresh count. Takes the models as arguments, so that a
    migration can pass its historical ones. ``progress(done, last)`` is called after each range."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    quote = connection.ops.quote_name
    courses, questions = quote(course_rollup._meta.db_table), quote(question_rollup._meta.db_table)
    e, c, a = (quote(m._meta.db_table) for m in (enrolment, completion, attempt))
    unpack, is_false = _failed_answers("a")
    statements = [
        upsert_adding(
            course_rollup,
            COURSE_KEYS,
            COURSE_TOTALS,
            f"SELECT e.course_key, e.id {MOD}, COUNT(*), 0, 0, 0 FROM {e} AS e "
            f"WHERE e.id >= %s AND e.id < %s GROUP BY e.course_key, e.id {MOD}",
        ),
        upsert_adding(
            course_rollup,
            COURSE_KEYS,
            COURSE_TOTALS,
            f"SELECT c.course_key, c.enrolment_id {MOD}, 0, COUNT(*), 0, 0 FROM {c} AS c "
            "WHERE c.enrolment_id >= %s AND c.enrolment_id < %s "
            f"GROUP BY c.course_key, c.enrolment_id {MOD}",
        ),
        upsert_adding(
            course_rollup,
            COURSE_KEYS,
            COURSE_TOTALS,
            f"SELECT e.course_key, a.enrolment_id {MOD}, 0, 0, COUNT(*), SUM(a.score) "
            f"FROM {a} AS a JOIN {e} AS e ON e.id = a.enrolment_id "
            "WHERE a.enrolment_id >= %s AND a.enrolment_id < %s "
            f"GROUP BY e.course_key, a.enrolment_id {MOD}",
        ),
        upsert_adding(
            question_rollup,
            QUESTION_KEYS,
            ("failures",),
            f"SELECT e.course_key, a.lesson_key, r.key, a.enrolment_id {MOD}, COUNT(*) "
            f"FROM {a} AS a JOIN {e} AS e ON e.id = a.enrolment_id, {unpack} "
            f"WHERE a.enrolment_id >= %s AND a.enrolment_id < %s AND {is_false} "
            f"GROUP BY e.course_key, a.lesson_key, r.key, a.enrolment_id {MOD}",
        ),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {courses}, {questions} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {questions}")
        cursor.execute(f"DELETE FROM {courses}")
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {e}")
        first, last = cursor.fetchone()
        done = Rebuilt()
        if first is not None:
            for start in range(first, last + 1, batch_size):
                for statement in statements:
                    cursor.execute(statement, [start, start + batch_size])
                done.batches += 1
                if progress:
                    progress(min(start + batch_size - 1, last), last)
        cursor.execute(
            f"SELECT COUNT(DISTINCT course_key), COALESCE(SUM(enrolled), 0), "
            f"COALESCE(SUM(completed), 0), COALESCE(SUM(quiz_attempts), 0) FROM {courses}"
        )
        done.courses, done.enrolments, done.completions, done.quiz_attempts = (
            int(n) for n in cursor.fetchone()
        )
        cursor.execute(f"SELECT COALESCE(SUM(failures), 0) FROM {questions}")
        done.failures = int(cursor.fetchone()[0])
    return done
