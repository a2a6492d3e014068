"""The endpoint the payment provider posts its signed webhooks to."""

from __future__ import annotations

import logging

from django.db import models, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import account_updates
from .models import WebhookEvent as StoredEvent
from .providers import get_backend
from .providers.base import WebhookEvent, WebhookRejected

logger = logging.getLogger(__name__)


def overlong_field(event: WebhookEvent) -> str:
    """Why a verified event cannot be stored as it is, or an empty string."""
    for name in ("id", "type", "account_ref"):
        column = "event_id" if name == "id" else name
        field = StoredEvent._meta.get_field(column)
        limit = field.max_length if isinstance(field, models.CharField) else None
        if limit is None:
            continue
        if len(getattr(event, name)) > limit:
            return f"the event's {name} is longer than {limit} characters"
    return ""


@csrf_exempt
@require_POST
def payments_webhook(request: HttpRequest) -> JsonResponse:
    """Verify, store (once per event id) and acknowledge; the work happens in a worker.

    The answer is 200 for a duplicate too: the provider only needs to know it can stop sending.
    """
    try:
        event = get_backend("payments").parse_webhook(request.body, request.headers)
    except WebhookRejected as rejected:
        logger.warning("payments webhook rejected: %s", rejected)
        return JsonResponse({"error": str(rejected)}, status=400)
    if problem := overlong_field(event):
        logger.warning("payments webhook rejected: %s", problem)
        return JsonResponse({"error": problem}, status=400)
    with transaction.atomic():
        stored, created = account_updates.record_webhook("payments", event)
    return JsonResponse({"received": event.id, "duplicate": not created})
