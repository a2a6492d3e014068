"""Spreadsheet exports that a spreadsheet cannot run: a cell that starts like a formula is
written as text (OWASP "CSV injection").

Wagtail's report views export CSV with every value as it is, so a learner named
``=HYPERLINK(...)`` would become a live formula in the trainer's spreadsheet. XLSX cells are
already forced to text by Wagtail; CSV has no types, so such a value gets a leading apostrophe,
which spreadsheets show as text and do not print.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: Any) -> Any:
    """``value``, with a leading apostrophe if it is a string a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Put before Wagtail's ``ReportView`` in the bases of every exporting view."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        processed = super().preprocess_field_value(field, value, export_format)
        return as_text(processed) if export_format == self.FORMAT_CSV else processed
