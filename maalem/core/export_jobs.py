"""Writing a background export: the worker's side of :mod:`maalem.core.background_exports`.

The worker opens the report's page as the staff member who asked, with the parameters they were
looking at, in the language they read; so the rows, their columns and the permission scope (a
trainer sees only her courses) are the page's own. The view's rows go to a temporary file,
a chunk at a time (the CSV line by line, the XLSX through openpyxl's write-only workbook), and
the file is stored in the private storage once complete.

A task may be delivered twice (a retry, a worker that died, a duplicate). One run holds an
export at a time, by a conditional update that sets its ``run_token``; the run writes its
progress with that token, which doubles as a heartbeat, and stores the file only if it still
holds the export. A second delivery waits while the heartbeat is recent and takes over once it
is older than :data:`LEASE_SECONDS`.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files import File
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone, translation

from . import background_exports, retention
from .conf import app_settings
from .models import Export, ExportStatus
from .private_files import private_storage, random_name

logger = logging.getLogger(__name__)

#: Seconds without progress after which a run is taken for dead and a new delivery takes over.
LEASE_SECONDS = 60
#: After this long without progress and no delivery to take over, a run is marked failed.
ABANDONED_AFTER = timedelta(hours=1)

DONE, BUSY, SKIPPED, FAILED = "done", "busy", "skipped", "failed"

_REQUEST_ATTRIBUTE = "_maalem_export_job"


class LostClaim(Exception):
    """Another run took the export over: this one stops and keeps nothing."""


class ExportRefused(Exception):
    """The report's page did not give its rows to the worker."""


def writing_export(request: HttpRequest) -> ExportJob | None:
    """The export a worker is writing with ``request``, or None for a person's request."""
    return getattr(request, _REQUEST_ATTRIBUTE, None)


class CountedRows:
    """The view's rows, counted as they are written, with the progress saved every so often."""

    def __init__(self, rows: Any, job: ExportJob) -> None:
        self.rows, self.job = rows, job
        self.model = getattr(rows, "model", None)

    def __iter__(self) -> Iterator[Any]:
        every = app_settings.EXPORT_PROGRESS_EVERY
        for row in self.rows:
            yield row
            self.job.rows_written += 1
            if self.job.rows_written % every == 0:
                self.job.save_progress()


def estimate(rows: Any) -> int | None:
    """How many rows an export will have, asked of the database without reading them."""
    inner = getattr(rows, "rows", rows)
    if isinstance(inner, QuerySet):
        return inner.order_by().count()
    return len(inner) if hasattr(inner, "__len__") else None


class ExportJob:
    def __init__(self, export: Export, token: str, output: IO[bytes]) -> None:
        self.export, self.token, self.output = export, token, output
        self.rows_written = 0
        self.download_name = ""
        self.written = False

    def save_progress(self, **fields: Any) -> None:
        updated = Export.objects.filter(
            pk=self.export.pk, run_token=self.token, status=ExportStatus.RUNNING
        ).update(rows_written=self.rows_written, heartbeat_at=timezone.now(), **fields)
        if not updated:
            raise LostClaim

    def write(self, view: Any, rows: Any, export_format: str) -> HttpResponse:
        """Called by the report's view in place of answering with the spreadsheet."""
        self.save_progress(rows_estimate=estimate(rows))
        counted = CountedRows(rows, self)
        if export_format == view.FORMAT_CSV:
            for line in view.stream_csv(counted):  # Wagtail's CSV writer hands out UTF-8 bytes
                self.output.write(line if isinstance(line, bytes) else line.encode("utf-8"))
        else:
            view.write_xlsx(counted, self.output)
        self.download_name = f"{view.get_filename()}.{export_format}"[:150]
        self.written = True
        return HttpResponse(status=204)

    def store(self) -> None:
        """Keep the written file, if this run still holds the export; else drop it."""
        self.output.seek(0)
        storage = private_storage()
        name = storage.save(random_name("exports", self.export.format), File(self.output))
        now = timezone.now()
        updated = Export.objects.filter(
            pk=self.export.pk, run_token=self.token, status=ExportStatus.RUNNING
        ).update(
            status=ExportStatus.DONE,
            file=name,
            download_name=self.download_name,
            rows_written=self.rows_written,
            finished_at=now,
            heartbeat_at=now,
        )
        if not updated:
            storage.delete(name)
            raise LostClaim


def claim(export_id: int, token: str) -> bool:
    now = timezone.now()
    # Two deliveries of the task race here: one conditional update moves the export to
    # "running" under one token; the other updates nothing.
    return bool(
        Export.objects.filter(pk=export_id)
        .filter(
            Q(status=ExportStatus.QUEUED)
            | Q(
                status=ExportStatus.RUNNING,
                heartbeat_at__lt=now - timedelta(seconds=LEASE_SECONDS),
            )
        )
        .update(
            status=ExportStatus.RUNNING,
            run_token=token,
            started_at=now,
            heartbeat_at=now,
            rows_written=0,
            error="",
        )
    )


def run(export_id: int) -> str:
    """Write the export ``export_id``; returns :data:`DONE`, :data:`FAILED`, :data:`BUSY`
    (another run holds it: ask again later) or :data:`SKIPPED` (nothing left to do)."""
    token = secrets.token_hex(16)
    if not claim(export_id, token):
        status = Export.objects.filter(pk=export_id).values_list("status", flat=True).first()
        return BUSY if status == ExportStatus.RUNNING else SKIPPED
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    try:
        with tempfile.TemporaryFile() as output:
            job = ExportJob(export, token, output)
            open_report(export, job)
            if not job.written:
                raise ExportRefused("the person who asked may no longer open this report")
            job.store()
    except LostClaim:
        logger.info("export %s: taken over by another run", export_id)
        return SKIPPED
    except Exception as error:
        logger.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id, run_token=token).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        return FAILED
    logger.info("export %s written: %s rows", export_id, job.rows_written)
    return DONE


def open_report(export: Export, job: ExportJob) -> None:
    """Call the report's view as the person who asked, as their export link would have."""
    user: Any = export.requested_by
    if user is None or not user.is_active:
        raise ExportRefused("the account that asked is gone or inactive")
    if background_exports.get_report(export.report) is None:
        raise ExportRefused(f"no background report is registered as {export.report!r}")
    path = reverse(export.report)
    # A host the site answers to, should the view build an absolute URL.
    host = next((h for h in settings.ALLOWED_HOSTS if h.strip("*.") == h), "localhost")
    request = RequestFactory(SERVER_NAME=host).get(
        path, data={**export.parameters, "export": export.format}
    )
    request.user = user
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    request.resolver_match = match = resolve(path)
    setattr(request, _REQUEST_ATTRIBUTE, job)
    with translation.override(export.language or settings.LANGUAGE_CODE):
        match.func(request, *match.args, **match.kwargs)


def purge_expired(*, dry_run: bool = False, now: Any = None) -> dict[str, int]:
    """Delete the files of exports past ``MAALEM_EXPORT_RETENTION_DAYS`` (the rows stay), and
    mark failed the runs abandoned by a worker that died with nobody to take over."""
    now = now or timezone.now()
    expired = Export.objects.filter(
        status=ExportStatus.DONE,
        finished_at__lt=retention.cutoff(app_settings.EXPORT_RETENTION_DAYS, now),
    )
    if dry_run:
        return {"files": expired.count()}
    count = 0
    storage = private_storage()
    for export in expired.only("pk", "file").iterator():
        if export.file:
            storage.delete(str(export.file.name))
        count += Export.objects.filter(pk=export.pk, status=ExportStatus.DONE).update(
            status=ExportStatus.EXPIRED, file=""
        )
    Export.objects.filter(
        status=ExportStatus.RUNNING, heartbeat_at__lt=now - ABANDONED_AFTER
    ).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error="the worker writing it stopped and no other took over",
    )
    return {"files": count}
