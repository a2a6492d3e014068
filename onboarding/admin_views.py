"""Wagtail admin for operators: the case list, the case page with its actions, and the funnel.

Cases are made by the workflow, never typed in, so the listing offers no add, edit or delete. Each
action (approve, reject, retry, withdraw) is a POST from a confirmation page that asks why, needs
its own permission, and goes through :mod:`onboarding.operator_actions`, which records it in the
timeline.
Personal data (national ID, phone) is shown masked and never exported.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import Promise, cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from . import funnel, operator_actions, pii, statemachine
from .models import ApplicantProfile, CaseState, OnboardingCase

VIEW_PERMISSION = "maalem_onboarding.view_onboardingcase"
OPERATOR_CODENAMES = ["view_onboardingcase", "review_case", "retry_case", "withdraw_case"]


# -- Personal data --------------------------------------------------------------------------


def mask(value: str | None, keep: int = 2) -> str:
    """An identifier with all but its first and last ``keep`` characters hidden, like
    :func:`onboarding.pii.mask_cin` does for the national ID: enough for an operator to tell
    two applicants apart, not enough to reuse."""
    text = str(value or "")
    if len(text) <= 2 * keep:
        return "*" * len(text)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


# -- Permissions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseAction:
    """An operator's decision on a case, offered on the case page."""

    name: str
    label: Promise
    permission: str
    from_states: frozenset[str]
    run: Callable[[int, Any, str], OnboardingCase]
    done: Promise
    help: Promise

    def is_offered(self, user: Any, case: OnboardingCase) -> bool:
        return case.state in self.from_states and user.has_perm(self.permission)


ACTIONS: dict[str, CaseAction] = {
    action.name: action
    for action in [
        CaseAction(
            name="approve",
            label=gettext_lazy("Approve"),
            permission="maalem_onboarding.review_case",
            from_states=frozenset({CaseState.MANUAL_REVIEW}),
            run=operator_actions.approve,
            done=gettext_lazy("Case approved: the payment account is being opened."),
            help=gettext_lazy("The case goes on to open the payment account."),
        ),
        CaseAction(
            name="reject",
            label=gettext_lazy("Reject"),
            permission="maalem_onboarding.review_case",
            from_states=frozenset({CaseState.MANUAL_REVIEW, CaseState.FAILED_NEEDS_OPERATOR}),
            run=operator_actions.reject,
            done=gettext_lazy("Case rejected."),
            help=gettext_lazy("Final: the learner cannot become a seller with this case."),
        ),
        CaseAction(
            name="retry",
            label=gettext_lazy("Retry"),
            permission="maalem_onboarding.retry_case",
            from_states=frozenset({CaseState.FAILED_NEEDS_OPERATOR}),
            run=operator_actions.retry,
            done=gettext_lazy("Case retried: its failed steps run again."),
            help=gettext_lazy("The failed steps get a new round of attempts."),
        ),
        CaseAction(
            name="withdraw",
            label=gettext_lazy("Withdraw"),
            permission="maalem_onboarding.withdraw_case",
            from_states=frozenset(set(CaseState.values) - set(statemachine.TERMINAL_STATES)),
            run=operator_actions.withdraw,
            done=gettext_lazy("Case withdrawn."),
            help=gettext_lazy("Final: do this only when the learner has withdrawn their consent."),
        ),
    ]
}


# -- The case list --------------------------------------------------------------------------


class CaseFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=CaseState.choices, empty_label=gettext_lazy("All")
    )

    class Meta:
        model = OnboardingCase
        fields = ["state"]


def case_title(case: OnboardingCase) -> str:
    return _("Case %(id)s") % {"id": case.pk}


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


def region_name(case: OnboardingCase) -> str:
    # Stored under its untranslated name, like ApplicantProfile.region_name.
    return _(case.region) if case.region else ""


class CaseIndexView(generic.IndexView):
    template_name = "onboarding/admin/case_index.html"
    any_permission_required = ["view"]

    def get_base_queryset(self) -> QuerySet[OnboardingCase]:
        return cases_with_application()

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


# -- The case page --------------------------------------------------------------------------


class CaseInspectView(generic.InspectView):
    template_name = "onboarding/admin/case.html"
    any_permission_required = ["view"]

    def get_page_subtitle(self) -> str:
        return case_title(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = self.object
        applicant = ApplicantProfile.objects.filter(case=case).select_related("craft").first()
        context.update(
            {
                "case": case,
                "applicant": applicant,
                "masked_cin": pii.mask_cin(applicant.cin) if applicant else "",
                "masked_phone": pii.mask_phone(applicant.phone) if applicant else "",
                "masked_register_number": (
                    mask(applicant.artisan_register_number) if applicant else ""
                ),
                "steps": case.steps.order_by("created_at", "pk"),
                "timeline": [
                    {"line": line, "by": timeline_actor(case, line)}
                    for line in case.transitions.select_related("actor").order_by("at", "pk")
                ],
                "actions": [
                    {"action": action, "url": action_url(case, action.name)}
                    for action in ACTIONS.values()
                    if action.is_offered(self.request.user, case)
                ],
            }
        )
        return context


def action_url(case: OnboardingCase, name: str) -> str:
    return reverse("onboarding_case:action", args=[case.pk, name])


def timeline_actor(case: OnboardingCase, line: Any) -> str:
    """Who made a move: the operator's name, or what the label says (learner, system...).

    The learner's own name is not shown: the case page stays free of personal data.
    """
    if line.actor is not None and line.actor.pk != case.learner_id:
        return line.actor.get_full_name() or line.actor.get_username()
    return line.actor_label


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=255,
        help_text=gettext_lazy("Recorded in the case's timeline with your name."),
    )


def refuse(request: HttpRequest) -> HttpResponse:
    """A POST without the permission gets a plain 403; a page asked for gets Wagtail's usual
    redirect with a message (the admin turns PermissionDenied into that)."""
    if request.method == "POST":
        return permission_denied(request, PermissionDenied())
    raise PermissionDenied


def case_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The confirmation page of an action (GET) and the action itself (POST)."""
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    # Checked before anything else, so a user without the permission learns nothing of the case.
    if not request.user.has_perm(chosen.permission):
        return refuse(request)
    case = get_object_or_404(OnboardingCase, pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chosen.run(case.pk, request.user, form.cleaned_data["reason"])
        except PermissionDenied:
            return refuse(request)
        except statemachine.InvalidTransition as error:
            messages.error(
                request,
                _("The case was not changed: %(error)s") % {"error": error},
            )
        else:
            messages.success(request, str(chosen.done))
        return redirect("onboarding_case:inspect", case.pk)
    title = _("%(action)s case %(id)s") % {"action": chosen.label, "id": case.pk}
    return TemplateResponse(
        request,
        "onboarding/admin/confirm.html",
        {
            "case": case,
            "action": chosen,
            "form": form,
            "page_title": title,
            "header_title": title,
            "header_icon": "tasks",
        },
    )


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
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/<slug:action>/", case_action_view, name="action"),
        ]


# -- The funnel -----------------------------------------------------------------------------

CHART_WIDTH = 600
ROW_HEIGHT = 56
BAR_TOP = 26
BAR_HEIGHT = 20


def chart_rows(stages: list[funnel.Stage], rtl: bool) -> list[dict[str, Any]]:
    """Where each bar of the SVG chart goes: widths scale to the largest stage."""
    largest = max((stage.count for stage in stages), default=0) or 1
    rows = []
    for i, stage in enumerate(stages):
        width = round(CHART_WIDTH * stage.count / largest)
        rows.append(
            {
                "stage": stage,
                "y": i * ROW_HEIGHT,
                "text_y": i * ROW_HEIGHT + 18,
                "bar_y": i * ROW_HEIGHT + BAR_TOP,
                # At least a sliver, so an empty stage still shows where its bar would be.
                "bar_width": max(width, 2),
                "bar_x": CHART_WIDTH - max(width, 2) if rtl else 0,
                "text_x": CHART_WIDTH if rtl else 0,
            }
        )
    return rows


def can_view_cases(user: Any) -> bool:
    return bool(user.has_perm(VIEW_PERMISSION))


class FunnelView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "onboarding/admin/funnel.html"
    page_title = gettext_lazy("Onboarding funnel")
    header_icon = "order"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_cases(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    @cached_property
    def header_buttons(self) -> list[Any]:
        return [
            HeaderButton(
                _("Download CSV"), url=reverse("onboarding_funnel:export"), icon_name="download"
            )
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stages = funnel.funnel()
        rows = chart_rows(stages, rtl=translation.get_language_bidi())
        context.update(
            {
                "stages": stages,
                "rows": rows,
                "chart_width": CHART_WIDTH,
                "chart_height": len(rows) * ROW_HEIGHT,
                "bar_height": BAR_HEIGHT,
                "rtl": translation.get_language_bidi(),
            }
        )
        return context


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def funnel_csv_view(request: HttpRequest) -> HttpResponse:
    if not can_view_cases(request.user):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="onboarding-funnel.csv"'
    writer = csv.writer(response)
    writer.writerow(["stage", "label", "count", "percent_of_previous", "percent_of_first"])
    for stage in funnel.funnel():
        writer.writerow(
            [
                stage.key,
                str(stage.label),
                stage.count,
                percent(stage.percent_of_previous),
                percent(stage.percent_of_first),
            ]
        )
    return response


class FunnelViewSet(ViewSet):
    name = "onboarding_funnel"
    url_prefix = "onboarding/funnel"
    icon = "order"
    menu_label = gettext_lazy("Funnel")

    @cached_property
    def menu_item_class(self) -> type[MenuItem]:
        class FunnelMenuItem(MenuItem):
            def is_shown(self, request: HttpRequest) -> bool:
                return can_view_cases(request.user)

        return FunnelMenuItem

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", FunnelView.as_view(), name="index"),
            path("export/", funnel_csv_view, name="export"),
        ]


class OnboardingAdminGroup(ViewSetGroup):
    """The "Onboarding" menu: shown to whoever can see either of its items."""

    menu_label = gettext_lazy("Onboarding")
    menu_icon = "tasks"
    menu_order = 320
    items = (CaseViewSet("onboarding_case"), FunnelViewSet())
