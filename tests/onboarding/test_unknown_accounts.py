"""An account nobody knows is a clear, bounded outcome: never a retry every 30 s for days, never a
traceback in the worker's log at each sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding import account_updates, sweeper
from onboarding.models import OnboardingCase, WebhookEvent
from onboarding.providers.base import WebhookEvent as ProviderEvent

from .onboarding_builders import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "eager_tasks")]

LONG_AGO = timedelta(hours=2)


def quiet_case(state: str, ref: str) -> OnboardingCase:
    """A case whose account the sweeper polls: restricted, and nothing heard for a long time."""
    case = make_case(state=state)
    OnboardingCase.objects.filter(pk=case.pk).update(
        payment_account_ref=ref,
        payment_account_status="restricted",
        requirements=["identity_document"],
        updated_at=timezone.now() - LONG_AGO,
    )
    return case


def test_unknown_account_poll_sends_the_case_to_an_operator_once_without_a_traceback(
    provider, caplog
):
    case = quiet_case("action_required", "acct_nosuchaccount")

    with caplog.at_level(logging.INFO):
        first = sweeper.sweep()
        second = sweeper.sweep()

    case.refresh_from_db()
    assert case.state == "failed_needs_operator"
    assert "does not serve account acct_nosuchaccount" in case.transitions.last().reason
    assert (first["accounts"], second["accounts"]) == (1, 0)
    warnings = [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING and record.name.startswith("onboarding")
    ]
    assert len(warnings) == 1
    assert not [record for record in caplog.records if record.exc_info]


def test_a_provider_outage_delays_the_next_poll_instead_of_failing_at_each_sweep(provider, caplog):
    case = quiet_case("action_required", "acct_nosuchaccount")
    provider.faults(fail_next=10, fail_status=503)

    first = sweeper.sweep()
    second = sweeper.sweep()

    case.refresh_from_db()
    assert case.state == "action_required"
    assert (first["accounts"], second["accounts"]) == (1, 0)
    assert not [record for record in caplog.records if record.exc_info]


def test_unknown_account_event_is_not_retried_forever(caplog, settings):
    settings.ONBOARDING_WEBHOOK_WAIT_FOR_CASE = 600
    event = ProviderEvent(
        id="evt_for_nobody", type="account.updated", account_ref="acct_nobody", created=1
    )
    stored, _created = account_updates.record_webhook("payments", event)

    assert account_updates.process_webhook(stored.pk) == "account not known yet"
    WebhookEvent.objects.filter(pk=stored.pk).update(received_at=timezone.now() - LONG_AGO)
    with caplog.at_level(logging.INFO):
        outcome = account_updates.process_webhook(stored.pk)
        swept = sweeper.sweep()

    assert outcome == "dropped: account unknown"
    assert WebhookEvent.objects.get(pk=stored.pk).processed_at is not None
    assert swept["webhooks"] == 0
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= 30 and record.name.startswith("onboarding")
    ]
    assert warnings == [
        "webhook evt_for_nobody: no case has payments account acct_nobody after 7200 s; dropped"
    ]


def test_unknown_account_events_are_tried_less_and_less_often_then_dropped_with_an_error(
    caplog, settings
):
    settings.ONBOARDING_WEBHOOK_WAIT_FOR_CASE = 600
    event = ProviderEvent(
        id="evt_early", type="account.updated", account_ref="acct_later", created=1
    )
    stored, _created = account_updates.record_webhook("payments", event)
    events = WebhookEvent.objects.filter(pk=stored.pk)

    def received(seconds_ago: int) -> WebhookEvent:
        events.update(received_at=timezone.now() - timedelta(seconds=seconds_ago))
        return events.get()

    first = received(60)
    assert account_updates.process_webhook(stored.pk) == "account not known yet"
    # The next try waits as long as the event has already waited.
    wait = events.get().next_attempt_at - first.received_at
    assert timedelta(seconds=119) <= wait <= timedelta(seconds=125)
    assert sweeper.sweep()["webhooks"] == 0  # not due: the sweeper leaves it alone

    events.update(next_attempt_at=timezone.now())
    assert sweeper.sweep()["webhooks"] == 1
    assert events.get().next_attempt_at > timezone.now()

    # Near the end of the wait, the last try is at its end, not later.
    late = received(590)
    events.update(next_attempt_at=timezone.now())
    assert sweeper.sweep()["webhooks"] == 1
    assert events.get().next_attempt_at == late.received_at + timedelta(seconds=600)

    received(601)
    events.update(next_attempt_at=timezone.now())
    with caplog.at_level(logging.INFO):
        assert sweeper.sweep()["webhooks"] == 1
    assert events.get().processed_at is not None
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "acct_later" in errors[0] and "dropped" in errors[0]
    assert sweeper.sweep()["webhooks"] == 0
