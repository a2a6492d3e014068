"""What learners do with the courses: enrolments, lessons done, quiz attempts, completions.

Learner records point at pages through their ``translation_key``, not a foreign key: the same
course in Arabic, French and English is one course to a learner, so switching language keeps
their progress, and deleting a page never erases a learner's history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course_key = models.UUIDField(db_index=True, help_text="translation_key of the course page")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_lesson_key = models.UUIDField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        # The learner report pages through one course's enrolments in order.
        indexes = [models.Index(fields=["course_key", "id"], name="enrolment_course_id")]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course_key"], name="one_enrolment_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"enrolment {self.pk}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lessons_done")
    lesson_key = models.UUIDField()
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson_key"], name="lesson_done_once")
        ]


class QuizAttempt(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson_key = models.UUIDField()
    number = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(help_text="percent")
    passed = models.BooleanField()
    answers = models.JSONField(help_text="question id -> chosen option ids")
    results = models.JSONField(help_text="question id -> answered correctly")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson_key", "number"], name="quiz_attempt_number_once"
            )
        ]


class CourseCompletion(models.Model):
    """The one fact the rest of the platform builds on: this learner completed this course.

    Written only by :mod:`lms.courses.completion`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course_key = models.UUIDField(db_index=True)
    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="completion")
    score = models.PositiveSmallIntegerField(null=True, help_text="mean of the best quiz scores")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course_key"], name="one_completion_per_course"
            )
        ]


class SyncEvent(models.Model):
    """Something a learner did on their phone, possibly offline, as received by the sync API.

    The client names each event with its own UUID. The unique (learner, client id) pair is what
    makes a replayed event a no-op: the first arrival claims the row, and later arrivals of
    the same id read the stored result instead of applying the event again.
    """

    class Type(models.TextChoices):
        LESSON_DONE = "lesson_done", _("lesson done")
        QUIZ_SUBMITTED = "quiz_submitted", _("quiz submitted")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_events"
    )
    client_id = models.UUIDField(help_text="id the learner's phone gave the event")
    type = models.CharField(max_length=30, choices=Type.choices)
    payload = models.JSONField(help_text="the event as the phone sent it")
    result = models.JSONField(default=dict, help_text="what the server answered, sent on replay")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("synced event")
        verbose_name_plural = _("synced events")
        constraints = [
            models.UniqueConstraint(fields=["learner", "client_id"], name="sync_event_once")
        ]

    def __str__(self) -> str:
        return f"sync event {self.client_id}"
