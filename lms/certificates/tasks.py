"""Background work of lms.certificates. Tasks take ids and call the rendering service."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import rendering
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
