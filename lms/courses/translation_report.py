"""What is missing a translation: the courses and lessons a trainer writes that do not exist yet in
every content language, each with Wagtail's own "Translate" action one click away.

A lesson written only in French is invisible to a learner reading Arabic; trainers find these
here (Reports → Missing translations), or on the page itself, where the editor says so.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

from .models import CoursePage, LessonPage
from .reports import TrainerReportView, trainer_courses


def content_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def language_name(code: str) -> str:
    return str(get_language_info(code)["name_translated"])


def untranslated_pages(user: Any, missing_in: str | None = None) -> QuerySet[Page]:
    """The courses and lessons ``user`` may edit that lack a copy in a content language.

    One row per page in its first language (the lowest id of its translations), in tree order.
    """
    editable = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, ["add", "change", "publish"]
    )
    pages = Page.objects.type(CoursePage, LessonPage).filter(pk__in=editable.values("pk"))
    first = Page.objects.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    pages = pages.exclude(Exists(first))
    languages = [missing_in] if missing_in else content_languages()
    lacking = Q(pk__in=[])
    for code in languages:
        translated = Page.objects.filter(
            translation_key=OuterRef("translation_key"), locale__language_code=code
        )
        lacking |= Q(~Exists(translated))
    return pages.filter(lacking).select_related("locale", "content_type").order_by("path")


@dataclass
class UntranslatedRow:
    page: Page
    kind: str
    written_in: str
    missing: list[str]

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def missing_text(self) -> str:
        return ", ".join(self.missing)


def rows_for(pages: list[Page]) -> list[UntranslatedRow]:
    """The report's rows for a page of results: one query for all their translations."""
    present: dict[uuid.UUID, set[str]] = defaultdict(set)
    for key, code in Page.objects.filter(
        translation_key__in=[page.translation_key for page in pages]
    ).values_list("translation_key", "locale__language_code"):
        present[key].add(code)
    return [
        UntranslatedRow(
            page=page,
            kind=str(page.content_type.name),
            written_in=language_name(page.locale.language_code),
            missing=[
                language_name(code)
                for code in content_languages()
                if code not in present[page.translation_key]
            ],
        )
        for page in pages
    ]


class UntranslatedFilterSet(WagtailFilterSet):
    course = django_filters.ChoiceFilter(label=gettext_lazy("Course"), method="filter_course")
    missing_in = django_filters.ChoiceFilter(
        label=gettext_lazy("Missing in"), method="filter_missing_in"
    )

    class Meta:
        model = Page
        fields: list[str] = []

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        self.filters.pop("locale", None)
        self.courses = {str(course.pk): course for course in trainer_courses(request).values()}
        self.filters["course"].extra["choices"] = sorted(
            ((pk, course.title) for pk, course in self.courses.items()),
            key=lambda choice: choice[1].casefold(),
        )
        self.filters["missing_in"].extra["choices"] = [
            (code, language_name(code)) for code in content_languages()
        ]

    def filter_course(self, queryset: QuerySet[Page], name: str, value: str) -> Any:
        course = self.courses.get(value)
        if course is None:
            return queryset.none()
        under = Q(pk__in=[])
        for path in CoursePage.objects.filter(translation_key=course.translation_key).values_list(
            "path", flat=True
        ):
            under |= Q(path__startswith=path)
        return queryset.filter(under)

    def filter_missing_in(self, queryset: QuerySet[Page], name: str, value: str) -> Any:
        return queryset.exclude(
            Exists(
                Page.objects.filter(
                    translation_key=OuterRef("translation_key"), locale__language_code=value
                )
            )
        )


def translate_url(row: UntranslatedRow) -> str:
    return reverse("simple_translation:submit_page_translation", args=[row.page.pk])


class MissingTranslationsView(TrainerReportView):
    page_title = gettext_lazy("Missing translations")
    header_icon = "globe"
    index_url_name = "lms_missing_translations"
    index_results_url_name = "lms_missing_translations_results"
    filterset_class = UntranslatedFilterSet
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Page"),
            get_url=lambda row: reverse("wagtailadmin_pages:edit", args=[row.page.pk]),
        ),
        Column("kind", label=gettext_lazy("Type")),
        Column("written_in", label=gettext_lazy("Written in")),
        Column("missing_text", label=gettext_lazy("Missing in")),
        TitleColumn(
            "translate",
            label=gettext_lazy("Translate"),
            accessor=lambda row: format_lazy("{} →", _("Translate")),
            get_url=translate_url,
        ),
    ]
    list_export = ["title", "kind", "written_in", "missing_text"]
    export_headings = {
        "title": gettext_lazy("Page"),
        "kind": gettext_lazy("Type"),
        "written_in": gettext_lazy("Written in"),
        "missing_text": gettext_lazy("Missing in"),
    }

    def get_queryset(self) -> QuerySet[Page]:
        return untranslated_pages(self.request.user)

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        paginator, page, pages, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = rows_for(list(pages))
        return paginator, page, page.object_list, is_paginated

    def as_spreadsheet(self, queryset: Any, spreadsheet_format: str) -> Any:
        return super().as_spreadsheet(rows_for(list(queryset)), spreadsheet_format)


def warn_if_untranslated(request: HttpRequest, page: Page) -> None:
    """On the edit view of a course or lesson: say which languages it is missing in."""
    if request.method != "GET" or not isinstance(page.specific, CoursePage | LessonPage):
        return
    present = set(
        Page.objects.filter(translation_key=page.translation_key).values_list(
            "locale__language_code", flat=True
        )
    )
    missing = [code for code in content_languages() if code not in present]
    if not missing:
        return
    if len(present) == 1:
        text = _("This page exists only in %(language)s.") % {
            "language": language_name(Locale.objects.get(pk=page.locale_id).language_code)
        }
    else:
        text = _("This page is missing in %(languages)s.") % {
            "languages": ", ".join(language_name(code) for code in missing)
        }
    buttons = []
    if request.user.has_perm("simple_translation.submit_translation"):
        url = reverse("simple_translation:submit_page_translation", args=[page.pk])
        buttons.append(messages.button(url, _("Translate")))
    messages.warning(request, text, buttons=buttons)
