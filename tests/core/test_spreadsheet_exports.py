"""A CSV export cell can start with "=": every export writes such a value as text."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil

import pytest
from wagtail.admin.views.reports import ReportView

from maalem.core.exports import SafeSpreadsheetExportMixin, as_text

PACKAGES = ("maalem", "lms", "onboarding")


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://evil")', "+212600000000", "-1+1", "@SUM(A1)", "\t=1"]
)
def test_a_value_a_spreadsheet_would_evaluate_is_written_as_text(value):
    class Report(SafeSpreadsheetExportMixin, ReportView):
        list_export = ["name"]

    view = Report()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["name"])
    view.write_csv_row(writer, {"name": value})

    cell = next(csv.reader(io.StringIO(buffer.getvalue())))[0]
    assert cell == "'" + value
    assert as_text("Fatima") == "Fatima"
    assert as_text(-3) == -3


def all_report_views() -> set[type]:
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, package_name + "."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)
    found: set[type] = set()
    stack = [ReportView]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.startswith(PACKAGES):
                found.add(subclass)
    return found


def test_every_report_view_of_the_apps_exports_formulas_as_text():
    views = all_report_views()

    assert views, "no report view found"
    unsafe = sorted(v.__qualname__ for v in views if not issubclass(v, SafeSpreadsheetExportMixin))
    assert unsafe == []
