"""The lessons a learner has done, read with her enrolment in the same query.

Every lesson and course page needs the enrolment and the keys of the lessons done in it. Read
apart, that is two queries per page; aggregated into one text column of the enrolment's row, it
is one, and a 100-lesson course costs no more rows than a 5-lesson one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Aggregate, TextField
from django.db.models.sql.compiler import SQLCompiler


class LessonKeysJoined(Aggregate):
    """The lesson keys, joined by commas (NULL when there are none): SQLite's GROUP_CONCAT,
    PostgreSQL's STRING_AGG."""

    function = "GROUP_CONCAT"
    name = "LessonKeysJoined"
    output_field = TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


DONE_KEYS = "lms_done_keys"


def with_done_keys(enrolments: Any) -> Any:
    """``enrolments`` (a queryset), each with the keys of its lessons done, for done_keys()."""
    return enrolments.annotate(**{DONE_KEYS: LessonKeysJoined("lessons_done__lesson_key")})


def done_keys(enrolment: Any) -> set[uuid.UUID]:
    """The keys of the lessons done in ``enrolment``: read with it by with_done_keys(), else
    queried now."""
    if hasattr(enrolment, DONE_KEYS):
        joined = getattr(enrolment, DONE_KEYS)
        return {uuid.UUID(key) for key in joined.split(",")} if joined else set()
    return set(enrolment.lessons_done.values_list("lesson_key", flat=True))
