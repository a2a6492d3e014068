"""The totals the trainers' progress report shows, kept up to date as learners work.

Counting 600,000 enrolments and half a million quiz attempts on every view of the report takes
seconds, so each write that changes a total adds its change to these rows in the same transaction
(:mod:`lms.courses.rollups`). The report then reads a few rows per course.

Each course's totals are split over a few ``shard`` rows (the enrolment's id decides which), and
the report adds them up: two learners submitting a quiz at the same moment then usually add to
different rows, instead of waiting for each other's transaction on one row per course. Which shard
a change goes to never matters to the sums, so the counts are signed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Rows per course (and per question) that writers spread their changes over.
SHARDS = 8


class CourseRollup(models.Model):
    course_key = models.UUIDField()
    shard = models.PositiveSmallIntegerField()
    enrolled = models.BigIntegerField(default=0)
    completed = models.BigIntegerField(default=0)
    quiz_attempts = models.BigIntegerField(default=0)
    score_sum = models.BigIntegerField(default=0, help_text="sum of the attempts' scores")

    class Meta:
        verbose_name = _("course totals")
        verbose_name_plural = _("course totals")
        constraints = [
            models.UniqueConstraint(fields=["course_key", "shard"], name="course_rollup_once")
        ]


class QuestionRollup(models.Model):
    """How many quiz attempts got one question of one course's quiz wrong."""

    course_key = models.UUIDField()
    lesson_key = models.UUIDField()
    question_id = models.CharField(max_length=255)
    shard = models.PositiveSmallIntegerField()
    failures = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("question totals")
        verbose_name_plural = _("question totals")
        constraints = [
            models.UniqueConstraint(
                fields=["course_key", "lesson_key", "question_id", "shard"],
                name="question_rollup_once",
            )
        ]
