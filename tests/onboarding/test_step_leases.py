"""A running step's short lease is renewed while its worker lives; the sweeper leaves a step
alone while its message waits in the queue, and takes it back once its lease is no longer renewed.

Real database (the heartbeat writes from a thread, on a connection of its own) and the configured
broker, whose queue is counted.
"""

from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from onboarding import applications, lease, outbox, sweeper
from onboarding.models import OnboardingStep
from tests.worker import wait_for

from .onboarding_builders import application, make_case

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("pii_keys")]


def submitted_step() -> OnboardingStep:
    case = make_case()
    applications.submit_application(case.pk, application(), case.learner)
    return OnboardingStep.objects.get(case=case, kind="payment_account")


def waiting_messages() -> int:
    """How many messages wait in the queue of the onboarding steps."""
    with current_app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue="celery", passive=True).message_count


@pytest.fixture
def empty_queue():
    current_app.control.purge()
    yield
    current_app.control.purge()


def test_a_renewed_lease_keeps_the_step_and_a_stopped_heartbeat_lets_another_worker_take_it(
    settings,
):
    settings.ONBOARDING_LEASE_SECONDS = 0.8
    step = submitted_step()
    first = outbox.claim(step.pk)
    assert first is not None and first.attempts == 1
    first_lease = first.lease_until

    with lease.Heartbeat(step.pk, first.attempts) as heartbeat:
        wait_for(lambda: heartbeat.beats >= 3, timeout=30, what="three renewals")
        # Past the first lease, and still held: nobody can claim it.
        wait_for(lambda: timezone.now() > first_lease, timeout=30, what="the first lease to end")
        assert outbox.claim(step.pk) is None
        step.refresh_from_db()
        assert (step.status, step.attempts) == ("running", 1)
        assert step.lease_until > first_lease

    # The heartbeat stopped, as when its worker dies: the lease runs out and another claim wins.
    def taken_over() -> bool:
        return outbox.claim(step.pk) is not None

    wait_for(taken_over, timeout=30, what="the step to be claimed again")
    step.refresh_from_db()
    assert (step.status, step.attempts) == ("running", 2)
    # The first attempt is fenced off: its renewal no longer extends anything.
    assert lease.renew(step.pk, 1) is False
    assert lease.renew(step.pk, 2) is True


def test_a_heartbeat_whose_attempt_was_taken_over_stops_by_itself(settings):
    settings.ONBOARDING_LEASE_SECONDS = 0.4
    step = submitted_step()
    outbox.claim(step.pk)
    OnboardingStep.objects.filter(pk=step.pk).update(lease_until=timezone.now())
    assert outbox.claim(step.pk).attempts == 2

    with lease.Heartbeat(step.pk, 1) as heartbeat:
        wait_for(lambda: not heartbeat._thread.is_alive(), timeout=30, what="the thread to end")
        assert heartbeat.beats == 0
    step.refresh_from_db()
    assert step.attempts == 2


@pytest.mark.usefixtures("empty_queue")
def test_the_sweeper_sends_no_copy_of_a_step_whose_message_is_waiting(settings):
    settings.ONBOARDING_REQUEUE_AFTER = 300
    step = submitted_step()
    # The step's message, and the learner's notices.
    waiting = waiting_messages()
    assert waiting >= 1
    assert step.enqueued_at is not None

    for _sweep in range(3):
        assert sweeper.sweep(steps_only=True) == {"steps": 0}
    assert waiting_messages() == waiting

    # Taken by a worker: the claim clears the mark, and a dead worker's step is swept again.
    claimed = outbox.claim(step.pk)
    assert claimed.enqueued_at is None
    OnboardingStep.objects.filter(pk=step.pk).update(lease_until=timezone.now())
    assert sweeper.sweep(steps_only=True) == {"steps": 1}
    assert sweeper.sweep(steps_only=True) == {"steps": 0}
    assert waiting_messages() == waiting + 1


@pytest.mark.usefixtures("empty_queue")
def test_the_sweeper_sends_a_step_again_once_its_message_is_taken_for_lost(settings):
    settings.ONBOARDING_REQUEUE_AFTER = 300
    step = submitted_step()
    current_app.control.purge()  # the message is lost between the commit and the broker
    assert sweeper.sweep(steps_only=True) == {"steps": 0}

    OnboardingStep.objects.filter(pk=step.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=301)
    )
    assert sweeper.sweep(steps_only=True) == {"steps": 1}
    assert waiting_messages() == 1
    # Sent once: the next sweeps wait for that message in turn.
    assert sweeper.sweep(steps_only=True) == {"steps": 0}
    assert waiting_messages() == 1
