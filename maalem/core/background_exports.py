"""Exports too large to answer within a request: written by a worker, downloaded later.

Each app registers, from its ``AppConfig.ready``, the reports whose exports run in the
background, by the URL name of the report's page, with who may export it; the kernel imports no
app. A staff member who asks such a report for ``?export=csv`` or ``?export=xlsx`` gets an
:class:`~maalem.core.models.Export` and is sent to the admin's "Exports" page at once; a worker
then opens the same page as that member, with the same parameters, and writes what its export
would have sent into a file in the private storage. :mod:`maalem.core.export_requests` queues
exports; :mod:`maalem.core.export_jobs` writes them.

Reports that are not registered keep answering their exports within the request: that suits
those whose rows are few and bounded (a row per course, per stage of a funnel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Report:
    """A report whose exports run in the background.

    ``url_name`` names the report's page (its ``…_results`` twin is the same report);
    ``may_export`` says whether a user may export it now: it is asked again at download time.
    """

    url_name: str
    label: Any
    may_export: Callable[[Any], bool]


_reports: dict[str, Report] = {}


def register(url_name: str, *, label: Any, may_export: Callable[[Any], bool]) -> None:
    """Add (or replace) a report whose exports run in the background."""
    _reports[url_name] = Report(url_name, label, may_export)


def get_report(url_name: str) -> Report | None:
    return _reports.get(url_name)


def reports() -> list[Report]:
    return list(_reports.values())


def report_for(request: HttpRequest) -> Report | None:
    """The registered report ``request`` opened, if any."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    return get_report(match.view_name.removesuffix("_results"))
