"""What trainers write: the catalogue, its courses and their lessons, and learning paths.

The pages render what a learner sees of them through :mod:`lms.courses.progress` (read-only);
a lesson is served only to an enrolled learner, through :mod:`lms.courses.views`.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PagePermissionTester, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

from lms.conf import app_settings

from ..blocks import LessonBodyBlock
from .learning import Enrolment
from .permissions import CoursePermissions, LessonPermissions
from .routing import CoursePageRouting


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


def default_pass_mark() -> int:
    return app_settings.DEFAULT_PASS_MARK


def default_quiz_attempts() -> int:
    return app_settings.DEFAULT_QUIZ_ATTEMPTS


class CourseIndexPage(CoursePageRouting):
    """The catalogue: learning paths first, then every course."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("intro"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["maalem_courses.CoursePage"]
    max_count_per_parent = 1
    template = "courses/course_index_page.html"

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..progress import catalogue_for

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_for(self, request.user))
        return context


class CoursePage(CoursePageRouting):
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
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        permissions = [("view_progress_report", _("Can view the learner progress report"))]

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        result = super().route(request, path_components)
        if path_components and isinstance(result.page, LessonPage):
            # Wagtail passes these keyword arguments to the lesson's serve() and get_context():
            # handing on the course routed through saves the lesson a query to fetch it again.
            return RouteResult(result.page, result.args, {**result.kwargs, "course": self})
        return result

    def permissions_for_user(self, user: Any) -> PagePermissionTester:
        return CoursePermissions(user, self)

    def lessons(self) -> models.QuerySet[LessonPage]:
        """The live lessons, in the order the trainer set."""
        return LessonPage.objects.child_of(self).live().order_by("path")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ..progress import course_progress

        context = super().get_context(request, *args, **kwargs)
        context["progress"] = course_progress(self, request.user, request=request)
        return context


class LessonPage(CoursePageRouting):
    minutes = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1)], verbose_name=_("minutes")
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("lesson"))

    content_panels = [*Page.content_panels, FieldPanel("minutes"), FieldPanel("body")]
    parent_page_types = ["maalem_courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def permissions_for_user(self, user: Any) -> PagePermissionTester:
        return LessonPermissions(user, self)

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
        # From the stored JSON: binding every block of the body costs more than rendering it
        # (whose HTML is cached), and most lessons have no question.
        if "questions" in self.__dict__:
            return bool(self.questions)
        return any(block["type"] == "question" for block in self.body.raw_data)

    def get_course(self) -> CoursePage:
        # One query: the parent's path is the lesson's minus its last step.
        return CoursePage.objects.get(path=self.path[: -self.steplen])

    def serve(
        self,
        request: HttpRequest,
        *args: Any,
        course: CoursePage | None = None,
        **kwargs: Any,
    ) -> HttpResponse:
        """The lesson, for learners enrolled in its course; others are sent where they start.

        ``course`` is the course Wagtail routed through (see ``CoursePage.route``). The course and
        the learner's enrolment go on to ``get_context()``, so neither is fetched twice.
        """
        from .. import services, views
        from ..progress import enrolment_for

        if not request.user.is_authenticated:
            return views.sign_in_first(request)
        course = course or self.get_course()
        enrolment = enrolment_for(request.user, course)
        if enrolment is None:
            return views.start_the_course_first(request, course)
        services.record_visit(enrolment, self)
        return super().serve(request, *args, course=course, enrolment=enrolment, **kwargs)

    def get_context(
        self,
        request: HttpRequest,
        *args: Any,
        course: CoursePage | None = None,
        enrolment: Enrolment | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        from ..progress import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(self, request, course or self.get_course(), enrolment))
        return context

    def get_preview_context(self, request: HttpRequest, mode_name: str) -> dict[str, Any]:
        """The lesson as a learner who has just started the course sees it, quiz included.

        The trainer previewing it is not enrolled, and their own progress is not the point.
        """
        from ..preview import lesson_preview_context

        context = Page.get_context(self, request)
        context.update(lesson_preview_context(self, request))
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


# Their only subpage type: routing fetches it directly (see .routing).
CourseIndexPage.child_page_model = CoursePage
CoursePage.child_page_model = LessonPage
