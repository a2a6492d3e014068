"""The funnel as a Wagtail report: a bar chart drawn on the server, a table of the stages, and
Wagtail's own CSV and XLSX export. Operators who may view cases may read it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.template.defaultfilters import floatformat
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, Table
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet

from maalem.core.exports import SafeSpreadsheetExportMixin

from .. import funnel
from ..funnel import Stage

VIEW_PERMISSION = "maalem_onboarding.view_onboardingcase"

CHART_WIDTH = 600
ROW_HEIGHT = 56
BAR_TOP = 26
BAR_HEIGHT = 20


def can_view_cases(user: Any) -> bool:
    return bool(user.has_perm(VIEW_PERMISSION))


def chart_rows(stages: list[Stage], rtl: bool) -> list[dict[str, Any]]:
    """Where each bar of the SVG chart goes: widths scale to the largest stage."""
    largest = max((stage.count for stage in stages), default=0) or 1
    rows = []
    for i, stage in enumerate(stages):
        # At least a sliver, so an empty stage still shows where its bar would be.
        width = max(round(CHART_WIDTH * stage.count / largest), 2)
        rows.append(
            {
                "stage": stage,
                "text_y": i * ROW_HEIGHT + 18,
                "bar_y": i * ROW_HEIGHT + BAR_TOP,
                "bar_width": width,
                "bar_x": CHART_WIDTH - width if rtl else 0,
                "text_x": CHART_WIDTH if rtl else 0,
            }
        )
    return rows


def shown_percent(value: float | None) -> str:
    return "" if value is None else f"{floatformat(value, 0)}%"


def exported_percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class StageColumn(Column):
    cell_template_name = "onboarding/admin/funnel_stage_cell.html"


class CountColumn(Column):
    cell_template_name = "onboarding/admin/funnel_count_cell.html"
    empty_value_display = "—"


class FunnelTable(Table):
    def get_row_attrs(self, instance: Stage) -> dict[str, Any]:
        return {**super().get_row_attrs(instance), "data-stage": instance.key}


class FunnelReportView(SafeSpreadsheetExportMixin, ReportView):
    template_name = "onboarding/admin/funnel.html"
    page_title = _("Onboarding funnel")
    header_icon = "order"
    index_url_name = "onboarding_funnel:index"
    # Seven stages: one page, always.
    paginate_by = None
    table_class = FunnelTable
    columns = [
        StageColumn("label", label=_("Stage")),
        CountColumn("count", label=_("Count")),
        CountColumn(
            "percent_of_previous",
            label=_("Share of the stage before"),
            accessor=lambda stage: shown_percent(stage.percent_of_previous),
        ),
        CountColumn(
            "percent_of_first",
            label=_("Share of the first stage"),
            accessor=lambda stage: shown_percent(stage.percent_of_first),
        ),
    ]
    list_export = ["key", "label", "count", "percent_of_previous", "percent_of_first"]
    export_headings = {
        "key": _("Code"),
        "label": _("Stage"),
        "count": _("Count"),
        "percent_of_previous": _("Share of the stage before"),
        "percent_of_first": _("Share of the first stage"),
    }
    custom_field_preprocess = {
        field: {ReportView.FORMAT_CSV: exported_percent, ReportView.FORMAT_XLSX: exported_percent}
        for field in ("percent_of_previous", "percent_of_first")
    }
    export_filename = "onboarding-funnel"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_view_cases(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> list[Stage]:
        return funnel.cached_funnel()

    def get_table_kwargs(self) -> dict[str, Any]:
        return {**super().get_table_kwargs(), "caption": self.page_title}

    def get_context_data(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(*args, **kwargs)
        rtl = translation.get_language_bidi()
        rows = chart_rows(list(context["object_list"]), rtl=rtl)
        context.update(
            {
                "rows": rows,
                "chart_width": CHART_WIDTH,
                "chart_height": len(rows) * ROW_HEIGHT,
                "bar_height": BAR_HEIGHT,
                "rtl": rtl,
            }
        )
        return context


class FunnelViewSet(ViewSet):
    name = "onboarding_funnel"
    url_prefix = "onboarding/funnel"
    icon = "order"
    menu_label = _("Funnel")

    @cached_property
    def menu_item_class(self) -> type[MenuItem]:
        class FunnelMenuItem(MenuItem):
            def is_shown(self, request: HttpRequest) -> bool:
                return can_view_cases(request.user)

        return FunnelMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [path("", FunnelReportView.as_view(), name="index")]
