"""The site's payments webhook endpoint verifies and keeps payment events once per event id, for
the orders to act on; a forged one is refused."""

from __future__ import annotations

import pytest

from onboarding.models import WebhookEvent

from .payment_session_builders import DECLINED, SUCCEEDS, open_session
from .payments_builders import make_applicant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

URL = "/onboarding/webhooks/payments/"


def post(client, webhook, body=None):
    return client.post(
        URL, body or webhook.body, content_type="application/json", headers=webhook.headers
    )


def test_a_payment_event_is_kept_once_and_a_forged_one_refused(client, in_memory_provider):
    account = in_memory_provider.open_account(make_applicant(), "account-1").ref
    in_memory_provider.set_account(account, "active")
    paid = in_memory_provider.pay(open_session(in_memory_provider, account).ref, SUCCEEDS)
    declined = in_memory_provider.pay(open_session(in_memory_provider, account).ref, DECLINED)

    first, again, other = post(client, paid), post(client, paid), post(client, declined)
    forged = post(client, paid, paid.body.replace(b'"amount_minor":15000', b'"amount_minor":1'))

    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 200)
    assert again.json()["duplicate"] is True
    assert forged.status_code == 400
    kept = WebhookEvent.objects.filter(type__startswith="payment.").order_by("pk")
    assert [event.type for event in kept] == ["payment.succeeded", "payment.failed"]
