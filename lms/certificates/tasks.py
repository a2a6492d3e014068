"""Background work of lms.certificates. Tasks take ids and call the rendering and issuing code.

:mod:`.queueing` sends these by name, as the beat schedule does: a renamed task is renamed there
too."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import pending, rendering
from .models import Certificate

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def render_certificate_pdf(certificate_id: str) -> None:
    """Render the certificate's PDF, unless it is gone or already rendered.

    The slow part (WeasyPrint) runs outside any transaction; only the final save is one.
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.pdf_ready:
        return
    pdf = rendering.render_pdf(certificate)
    with transaction.atomic():
        # A second delivery of this task (acks_late after a lost worker) may have finished
        # first: the lock makes the loser see the PDF and keep it.
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.pdf_ready:
            return
        locked.pdf.save(f"{locked.pk}.pdf", ContentFile(pdf), save=False)
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_rendered_at"])
    logger.info("Rendered certificate %s (%d bytes)", certificate_id, len(pdf))


@shared_task
def issue_pending_certificate(completion_id: str) -> str:
    """Try again to issue a certificate that failed; the row schedules the next try, if any."""
    return pending.attempt(completion_id)


@shared_task
def sweep_pending_certificates() -> dict[str, int]:
    """Periodic (beat): re-queue the pending issuances that are due, record lost completions."""
    return pending.sweep()
