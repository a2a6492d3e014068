from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry date; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def purge_expired_data() -> dict[str, int]:
    """Delete the personal data past its retention period (see maalem.core.retention)."""
    from maalem.core.retention import purge_expired

    return purge_expired()
