"""Courses as Wagtail pages, and what learners do with them.

Learner records point at pages through their ``translation_key``, not a foreign key: the same
course in Arabic, French and English is one course to a learner, so switching language keeps
their progress, and deleting a page never erases a learner's history.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from lms.conf import app_settings

from .blocks import LessonBodyBlock


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


def default_pass_mark() -> int:
    return app_settings.DEFAULT_PASS_MARK


def default_quiz_attempts() -> int:
    return app_settings.DEFAULT_QUIZ_ATTEMPTS


class CourseIndexPage(Page):
    """The catalogue: learning paths first, then every course."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("intro"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["maalem_courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .progress import catalogue_for

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_for(self, request.user))
        return context


class CoursePage(Page):
    summary = models.TextField(verbose_name=_("summary"), max_length=500)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    description = RichTextField(
        blank=True,
        features=["h3", "bold", "italic", "ol", "ul", "link"],
        verbose_name=_("description"),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1)],
        verbose_name=_("estimated duration (minutes)"),
    )
    level = models.CharField(
        max_length=20, choices=Level.choices, default=Level.BEGINNER, verbose_name=_("level")
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=default_pass_mark,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        verbose_name=_("pass mark (%)"),
        help_text=_("The score a learner needs on each quiz of this course."),
    )
    max_quiz_attempts = models.PositiveSmallIntegerField(
        default=default_quiz_attempts,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        verbose_name=_("quiz attempts allowed"),
    )
    prerequisites = ParentalManyToManyField(
        "maalem_courses.CoursePage",
        blank=True,
        related_name="required_by",
        verbose_name=_("prerequisite courses"),
        help_text=_("Courses a learner must complete before starting this one."),
    )
    crafts = ParentalManyToManyField(
        "maalem_crafts.Craft",
        blank=True,
        related_name="courses",
        verbose_name=_("crafts it targets"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("duration_minutes"),
                FieldPanel("level"),
                FieldPanel("pass_mark"),
                FieldPanel("max_quiz_attempts"),
            ],
            heading=_("How the course runs"),
        ),
        FieldPanel("prerequisites"),
        FieldPanel("crafts"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["maalem_courses.CourseIndexPage"]
    subpage_types = ["maalem_courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        permissions = [("view_progress_report", _("Can view the learner progress report"))]

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        # Remember the course on the way to one of its lessons, so the lesson need not fetch it.
        request.lms_routed_course = self  # type: ignore[attr-defined]
        return super().route(request, path_components)

    def lessons(self) -> models.QuerySet[LessonPage]:
        """The live lessons, in the order the trainer set."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .progress import course_progress

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = course_progress(self, request.user, request=request)
        return context


class LessonPage(Page):
    minutes = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1)], verbose_name=_("minutes")
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("lesson"))

    content_panels = [*Page.content_panels, FieldPanel("minutes"), FieldPanel("body")]
    parent_page_types = ["maalem_courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        self.bind_block_ids()
        super().full_clean(*args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.bind_block_ids()
        super().save(*args, **kwargs)

    def bind_block_ids(self) -> None:
        """Give every block and answer a stored id.

        Quiz answers are recorded against these ids. A body written as raw JSON (by an import or
        a script) can hold answers without ids; binding the blocks before saving gives them ids
        that are then stored, instead of new ones made up on every load.
        """
        for block in self.body:
            if block.block_type == "question":
                list(block.value["options"].bound_blocks)

    @cached_property
    def questions(self) -> list[Any]:
        """The quiz questions in this lesson's body, as bound blocks with stable ids."""
        return [block for block in self.body if block.block_type == "question"]

    @property
    def is_quiz(self) -> bool:
        return bool(self.questions)

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from .progress import lesson_access

        denial = lesson_access(self, request)
        if denial is not None:
            return denial
        return super().serve(request, *args, **kwargs)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .progress import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request))
        return context


@register_snippet
class LearningPath(TranslatableMixin, ClusterableModel):
    """An ordered series of courses, such as "Sell online"."""

    title = models.CharField(max_length=120, verbose_name=_("title"))
    intro = models.TextField(blank=True, verbose_name=_("intro"))

    panels = [FieldPanel("title"), FieldPanel("intro"), InlinePanel("items", label=_("Courses"))]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")

    def __str__(self) -> str:
        return self.title

    def courses(self) -> list[CoursePage]:
        return [item.course for item in self.items.select_related("course") if item.course.live]


class LearningPathCourse(Orderable):
    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )

    panels = [FieldPanel("course")]


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

    def course(self, locale: Any = None) -> CoursePage | None:
        from .progress import resolve_course

        return resolve_course(self.course_key, locale)


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
