"""The background exports of ``bench/scale.py``: how long the request takes to send the staff
member to the Exports page, and how fast the worker then writes each file.

A report registered in :mod:`maalem.core.background_exports` answers ``?export=`` with a
redirect; :func:`measure` times that. :func:`measure_job` runs one export the way the worker
does (:func:`maalem.core.export_jobs.run`, in this process), and reports its rows per second
and the peak resident memory of the process (``ru_maxrss``: it only grows, so the jobs are run
smallest first and each line's figure is the peak so far).
"""

from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from typing import Any

from django.urls import resolve

from maalem.core import background_exports, export_jobs
from maalem.core.models import Export, ExportStatus


def is_background(url: str) -> bool:
    """Whether the export at ``url`` is written by a worker."""
    name = resolve(url.split("?")[0]).view_name
    return background_exports.get_report(name.removesuffix("_results")) is not None


def forget_queued(user: Any) -> None:
    """Take the exports the bench queued out of the way (no worker runs them), so that the next
    request makes a new one rather than finding the one waiting."""
    Export.objects.filter(requested_by=user, status=ExportStatus.QUEUED).update(
        status=ExportStatus.FAILED, error="queued by bench/scale.py, never run"
    )


@dataclass
class JobFigures:
    label: str
    rows: int
    seconds: float
    megabytes: int
    peak_rss_mib: float

    def line(self) -> str:
        rate = self.rows / self.seconds if self.seconds else 0
        return (
            f"{self.label:<40} {self.rows:>9,} rows {self.seconds:>8.1f} s {rate:>9,.0f} rows/s "
            f"{self.megabytes:>6} MB file  peak RSS {self.peak_rss_mib:>7.0f} MiB"
        )


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_job(label: str, export: Export) -> JobFigures:
    start = time.perf_counter()
    outcome = export_jobs.run(export.pk)
    seconds = time.perf_counter() - start
    export.refresh_from_db()
    if outcome != export_jobs.DONE:
        raise SystemExit(f"{label}: {outcome}: {export.error}")
    size = export.file.size // 1_000_000
    figures = JobFigures(label, export.rows_written, seconds, size, _rss_mib())
    export.file.delete(save=False)
    return figures


def jobs_table(user: Any, only: tuple[str, ...] = (), language: str = "fr") -> str:
    """Each background report (or those whose URL name has a word of ``only``) written as CSV
    then XLSX, as ``user``, whole (no filter)."""
    lines = [f"{'background job':<40} peak RSS before: {_rss_mib():.0f} MiB"]
    for report in background_exports.reports():
        if only and not any(word in report.url_name for word in only):
            continue
        for export_format in ("csv", "xlsx"):
            export = Export.objects.create(
                requested_by=user, report=report.url_name, format=export_format, language=language
            )
            figures = measure_job(f"{report.url_name} ({export_format})", export)
            lines.append(figures.line())
            print(lines[-1], flush=True)
    return "\n".join(lines)
