"""Queueing the background work of lms.certificates, by task name.

:mod:`.tasks` calls the issuing and retry code, which queue tasks in turn; naming the task instead
of importing it keeps these modules free of an import cycle. ``CertificatesConfig.ready`` imports
the tasks, so they are registered in every process and ``task_always_eager`` is honoured.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction

RENDER_PDF = "lms.certificates.tasks.render_certificate_pdf"
ISSUE_PENDING = "lms.certificates.tasks.issue_pending_certificate"


def send(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue the task now, with ``args`` (ids, never model instances)."""
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    current_app.tasks[task_name].apply_async(args, **options)


def send_on_commit(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue the task once the current transaction has committed (at once outside one)."""
    transaction.on_commit(lambda: send(task_name, *args, countdown=countdown))
