"""The admin's "Exports" page, where staff follow and download their background exports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import background_exports
from .exports import XLSX_TYPE
from .models import Export, ExportStatus
from .private_files import PrivateFile, record_access, serve_private_file

#: How many of a user's latest exports the page lists.
LISTED = 50
#: Seconds between two reloads of the page while an export is waiting or being written.
REFRESH_SECONDS = 3

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


class ExportsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Exports")
    header_icon = "download"
    template_name = "maalem_core/admin/exports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        exports = list(Export.objects.filter(requested_by=user)[:LISTED])
        for export in exports:
            report = background_exports.get_report(export.report)
            export.report_label = report.label if report else export.report  # type: ignore[attr-defined]
        context.update(
            exports=exports,
            refresh_seconds=REFRESH_SECONDS if any(e.is_active for e in exports) else None,
            show_errors=user.is_superuser,
        )
        return context


def may_download(user: Any, export: Export) -> bool:
    """Whether ``user`` may have the file: theirs (or a superuser), and still allowed to export
    the report, which a trainer who has lost her role no longer is."""
    report = background_exports.get_report(export.report)
    return bool(
        report is not None
        and export.status == ExportStatus.DONE
        and export.file
        and (export.requested_by_id == user.pk or user.is_superuser)
        and report.may_export(user)
    )


def download_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    export = Export.objects.filter(pk=pk).first()
    if export is None or not may_download(request.user, export):
        record_access(request, None, granted=False, kind="export", object_ref=str(pk))
        # Wagtail answers this as every admin page a user may not use: back to the dashboard.
        raise PermissionDenied
    file = PrivateFile(
        name=str(export.file.name),
        kind="export",
        object_ref=str(export.pk),
        content_type=CONTENT_TYPES[export.format],
        download_name=export.download_name or f"export-{export.pk}.{export.format}",
        attachment=True,
    )
    return serve_private_file(request, file)
