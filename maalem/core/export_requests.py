"""Asking for a background export: what a staff member's ``?export=`` link does for a report
registered in :mod:`maalem.core.background_exports`."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .background_exports import Report
from .models import Export, ExportStatus
from .tasks import run_export

#: Query-string parameters that say how to show a page, never which rows: left out of an export.
NOT_FILTERS = ("export", "p")

MAX_PARAMETERS = 20
MAX_VALUES = 20
MAX_LENGTH = 200


class InvalidParameters(ValueError):
    pass


def export_parameters(query: QueryDict | dict[str, Any]) -> dict[str, list[str]]:
    """The parameters of ``query`` that choose rows, as ``{name: [values]}``, checked to be
    few and short strings: what is stored with an export and applied again by the worker."""
    items = query.lists() if isinstance(query, QueryDict) else query.items()
    parameters: dict[str, list[str]] = {}
    for name, given in items:
        if name in NOT_FILTERS:
            continue
        values: list[Any] = given if isinstance(given, list) else [given]
        if (
            not isinstance(name, str)
            or len(name) > MAX_LENGTH
            or len(values) > MAX_VALUES
            or not all(isinstance(value, str) and len(value) <= MAX_LENGTH for value in values)
        ):
            raise InvalidParameters(name)
        parameters[name] = list(values)
    if len(parameters) > MAX_PARAMETERS:
        raise InvalidParameters("too many parameters")
    return dict(sorted(parameters.items()))


def start(request: HttpRequest, report: Report, export_format: str) -> HttpResponseRedirect:
    """Queue the export of what ``request`` shows, and send its user to the Exports page.

    The same export asked again while the first is still waiting or being written is not
    queued twice: a second click, or a reload of the export link, finds the first one.
    """
    exports_page = HttpResponseRedirect(reverse("maalem_exports:index"))
    try:
        parameters = export_parameters(request.GET)
    except InvalidParameters:
        messages.error(request, _("This export cannot be made: its filters are not valid."))
        return exports_page
    user: Any = request.user
    active = Export.objects.filter(
        requested_by=user,
        report=report.url_name,
        format=export_format,
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
    )
    if not any(export.parameters == parameters for export in active):
        with transaction.atomic():
            export = Export.objects.create(
                requested_by=user,
                report=report.url_name,
                parameters=parameters,
                format=export_format,
                language=get_language() or "",
            )
            transaction.on_commit(partial(run_export.delay, export.pk))
    messages.success(
        request, _("Your export is being prepared. It will be ready to download on this page.")
    )
    return exports_page
