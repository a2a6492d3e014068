"""The kernel's tasks: background exports, written and, after their retention period, deleted."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import export_jobs


@shared_task(bind=True, max_retries=None)
def run_export(self: Any, export_id: int) -> str:
    """Write the export ``export_id``. Delivered while another run still holds it, ask again
    once that run's lease would have run out: it is then finished, or dead and taken over."""
    outcome = export_jobs.run(export_id)
    if outcome == export_jobs.BUSY:
        raise self.retry(countdown=export_jobs.LEASE_SECONDS)
    return outcome


@shared_task
def expire_exports() -> dict[str, int]:
    """Delete the export files past their retention period; the exports stay listed."""
    return export_jobs.purge_expired()
