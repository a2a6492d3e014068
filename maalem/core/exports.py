"""Spreadsheet exports that stream in bounded memory, and that a spreadsheet cannot run.

Rows are read from the database a chunk at a time (``QuerySet.iterator()``) and written out as
they are read: the CSV streams line by line, and the XLSX is written by openpyxl's write-only
workbook into a temporary file on disk, then sent from that file. Memory stays the same for ten
rows or half a million.

A cell that starts like a formula is written as text (OWASP "CSV injection"). Wagtail's export
writes CSV values as they are, so a learner named ``=HYPERLINK(...)`` would become a live
formula in the trainer's spreadsheet. XLSX cells are already forced to text by Wagtail; CSV has
no types, so such a value gets a leading apostrophe, which spreadsheets show as text and do not
print.

A report registered in :mod:`maalem.core.background_exports` answers an export by queueing it
for a worker; the worker then calls the same view, whose rows go to the file being written
(:func:`maalem.core.export_jobs.writing_export` says which one) rather than to a response.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from . import background_exports, export_jobs, export_requests

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Rows read from the database at a time while an export streams.
EXPORT_CHUNK = 2000

#: How much of an XLSX being written stays in memory before it goes to the temporary file.
XLSX_IN_MEMORY = 1024 * 1024

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_text(value: Any) -> Any:
    """``value``, with a leading apostrophe if it is a string a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class ExportRows:
    """The rows of an export, read a chunk at a time; ``model`` is for the column headings."""

    def __init__(self, rows: Any, chunk_size: int = EXPORT_CHUNK) -> None:
        self.rows, self.chunk_size = rows, chunk_size
        self.model = getattr(rows, "model", None)

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.rows, QuerySet):
            return self.rows.iterator(chunk_size=self.chunk_size)
        return iter(self.rows)


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Put before Wagtail's ``ReportView`` or ``IndexView`` in the bases of every exporting view."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        report = background_exports.report_for(request)
        if report is not None and export_jobs.writing_export(request) is None:
            return export_requests.start(request, report, request.GET["export"])
        # An export is not a page: no table is built and the rows are not counted first (a
        # listing's context does ``len()`` of an unpaginated list, which reads every row).
        view: Any = self
        rows = getattr(view, "get_filtered_queryset", view.get_queryset)()
        view.object_list = rows
        if hasattr(view, "decorate_paginated_queryset"):
            rows = view.decorate_paginated_queryset(rows)
        return self.as_spreadsheet(rows, request.GET["export"])

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        processed = super().preprocess_field_value(field, value, export_format)
        return as_text(processed) if export_format == self.FORMAT_CSV else processed

    def as_spreadsheet(self, queryset: Any, spreadsheet_format: str) -> Any:
        rows = queryset if isinstance(queryset, ExportRows) else ExportRows(queryset)
        job = export_jobs.writing_export(self.request)
        if job is not None:
            return job.write(self, rows, spreadsheet_format)
        return super().as_spreadsheet(rows, spreadsheet_format)

    def write_xlsx_response(self, queryset: Any) -> FileResponse:
        # Not a BytesIO of the whole workbook: past a megabyte it is on disk, and the response
        # reads it back a block at a time (and closes, so deletes, it when sent).
        output = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY)  # noqa: SIM115
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=XLSX_TYPE,
            filename=f"{self.get_filename()}.xlsx",
        )
