"""The case list: filtered by state, searched by shop name, exported without personal data.

Cases are made by the workflow, never typed in, so the listing offers no add, edit or delete; the
viewset also serves the case page and its actions.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from maalem.core.exports import SafeSpreadsheetExportMixin
from maalem.core.pagination import LargeListPaginator

from ..models import CaseState, OnboardingCase
from .actions import CaseActionView
from .case_page import CaseInspectView, case_title

OPERATOR_CODENAMES = ["view_onboardingcase", "review_case", "retry_case", "withdraw_case"]


class CaseFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=CaseState.choices, empty_label=gettext_lazy("All")
    )

    class Meta:
        model = OnboardingCase
        fields = ["state"]


def cases_with_application() -> QuerySet[OnboardingCase]:
    """Cases with the non-personal fields of their application alongside, for listing and
    export; a case that has no application yet gets blanks."""
    language = (translation.get_language() or "fr").split("-")[0]
    craft_name = f"applicant__craft__name_{language}"
    if craft_name not in {"applicant__craft__name_ar", "applicant__craft__name_en"}:
        craft_name = "applicant__craft__name_fr"
    return OnboardingCase.objects.annotate(
        shop_name=Coalesce(F("applicant__shop_name"), Value("")),
        region=Coalesce(F("applicant__region"), Value("")),
        craft_code=Coalesce(F("applicant__craft__code"), Value("")),
        craft_name=Coalesce(
            NullIf(F(craft_name), Value("")), F("applicant__craft__name_fr"), Value("")
        ),
    )


def region_name(case: Any) -> str:
    """The region of a case from :func:`cases_with_application`, which annotates it. Stored
    under its untranslated name, like ApplicantProfile.region_name."""
    return _(case.region) if case.region else ""


class CaseIndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    template_name = "onboarding/admin/case_index.html"
    any_permission_required = ["view"]
    paginator_class = LargeListPaginator

    def get_base_queryset(self) -> QuerySet[OnboardingCase]:
        queryset = cases_with_application()
        if self.is_export:
            # The export's columns only: not the payment details nor the requirements (JSON).
            queryset = queryset.only("pk", "state", "created_at", "updated_at")
        return queryset

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        context["state_counts"] = self.state_counts()
        return context

    def state_counts(self) -> list[dict[str, Any]]:
        """How many cases are in each state (all cases, whatever the filter), one query."""
        counts = dict(
            OnboardingCase.objects.order_by()
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        index = reverse("onboarding_case:index")
        return [
            {
                "state": state,
                "label": label,
                "count": counts.get(state, 0),
                "url": f"{index}?{urlencode({'state': state})}",
            }
            for state, label in CaseState.choices
        ]


class CaseViewSet(ModelViewSet):
    model = OnboardingCase
    icon = "tasks"
    menu_label = gettext_lazy("Cases")
    url_prefix = "onboarding/cases"
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = CaseIndexView
    inspect_view_class = CaseInspectView
    form_fields: list[str] = []
    # The national ID and the phone are encrypted: only the shop name can be searched.
    search_fields = ["applicant__shop_name"]
    search_backend_name = None
    filterset_class = CaseFilterSet
    ordering = "-updated_at"
    list_display = [
        TitleColumn(
            "id",
            label=gettext_lazy("Case"),
            accessor=case_title,
            sort_key="id",
            get_url=lambda case: reverse("onboarding_case:inspect", args=[case.pk]),
        ),
        Column("shop_name", label=gettext_lazy("Shop name"), sort_key="shop_name"),
        Column(
            "state", label=gettext_lazy("State"), accessor="get_state_display", sort_key="state"
        ),
        Column("craft_name", label=gettext_lazy("Craft")),
        Column("region", label=gettext_lazy("Region"), accessor=region_name, sort_key="region"),
        DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
        DateColumn("updated_at", label=gettext_lazy("Last change"), sort_key="updated_at"),
    ]
    # No personal data: the export leaves the admin and ends up in mailboxes and spreadsheets.
    list_export = ["pk", "state", "created_at", "updated_at", "craft_code", "region", "shop_name"]
    export_headings = {
        "pk": gettext_lazy("Case id"),
        "state": gettext_lazy("State"),
        "created_at": gettext_lazy("Created"),
        "updated_at": gettext_lazy("Last change"),
        "craft_code": gettext_lazy("Craft"),
        "region": gettext_lazy("Region"),
        "shop_name": gettext_lazy("Shop name"),
    }
    export_filename = "onboarding-cases"

    def get_permissions_to_register(self) -> QuerySet[Permission]:
        # The operators' permissions, listed in Wagtail's group editor. Adding, changing and
        # deleting cases is never allowed, so those are left out.
        content_type = ContentType.objects.get_for_model(OnboardingCase)
        return Permission.objects.filter(content_type=content_type, codename__in=OPERATOR_CODENAMES)

    def get_urlpatterns(self) -> list[Any]:
        action: URLPattern = path(
            "<int:pk>/<slug:action>/", CaseActionView.as_view(), name="action"
        )
        return [*super().get_urlpatterns(), action]
