"""A certificate that fails to issue is never lost: it is recorded, retried with a growing delay,
shown to the learner as being prepared and to staff as waiting, and swept up if its signal was
lost."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from lms.certificates import pending, status_lists, tasks
from lms.certificates.models import Certificate, PendingIssuance
from lms.courses.models import CourseCompletion
from tests.builders import complete, make_course, make_learner

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def broken_lists(monkeypatch):
    """Issuing fails, as it does while the database refuses writes, until ``mend()`` is called."""

    def boom():
        raise OperationalError("could not write to the status list\nDETAIL: Key (code)=(X)")

    monkeypatch.setattr(status_lists, "allocate", boom)
    return lambda: monkeypatch.undo()


def make_due(completion):
    PendingIssuance.objects.filter(completion=completion).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_failed_issuance_is_recorded_told_to_the_learner_and_issued_by_the_retry(
    client, broken_lists, django_capture_on_commit_callbacks
):
    course = make_course(title="Teindre la laine", lessons=1, quiz=False)
    learner = make_learner()
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(learner, course)  # the receiver does not raise

    assert not Certificate.objects.exists()
    row = PendingIssuance.objects.get(completion=completion)
    assert row.status == PendingIssuance.Status.WAITING and row.attempts == 1
    assert row.last_error == "OperationalError: could not write to the status list"
    assert row.next_attempt_at > timezone.now()
    client.force_login(learner)
    page = client.get(reverse("lms:my_learning")).content.decode()
    section = page.split('id="certificates"', 1)[1]
    assert "Teindre la laine" in section and "Votre certificat est en préparation" in section

    assert tasks.issue_pending_certificate.run(str(completion.pk)) == "not due"
    broken_lists()
    make_due(completion)
    assert tasks.issue_pending_certificate.run(str(completion.pk)) == "issued"

    assert Certificate.objects.filter(completion=completion).count() == 1
    assert not PendingIssuance.objects.exists()


def test_retries_wait_longer_each_time_and_stop_at_the_last_attempt(settings, broken_lists):
    settings.LMS_CERTIFICATES_ISSUE_MAX_ATTEMPTS = 3
    settings.LMS_CERTIFICATES_ISSUE_RETRY_BACKOFF = 100
    completion = complete(make_learner(), make_course(lessons=1, quiz=False))
    pending.record(completion)
    waits = []
    for _ in range(3):
        make_due(completion)
        before = timezone.now()
        outcome = pending.attempt(completion.pk)
        row = PendingIssuance.objects.get(completion=completion)
        waits.append((row.next_attempt_at - before).total_seconds())

    assert outcome == "gave up"
    assert row.status == PendingIssuance.Status.GAVE_UP and row.attempts == 3
    assert 50 <= waits[0] <= 100 and 100 <= waits[1] <= 200
    make_due(completion)
    assert pending.attempt(completion.pk) == "not due"  # an operator's turn now


def test_staff_see_the_waiting_certificates_and_retry_one(
    client, settings, broken_lists, eager_tasks, django_capture_on_commit_callbacks
):
    settings.LMS_CERTIFICATES_ISSUE_MAX_ATTEMPTS = 1
    learner = make_learner(first_name="Hind", last_name="Alaoui")
    completion = complete(learner, make_course(title="Coudre", lessons=1, quiz=False))
    pending.record(completion)
    pending.attempt(completion.pk)
    group = Group.objects.create(name="Certificate officers")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_pendingissuance", "revoke_certificate"]
        )
    )
    officer = make_learner()
    officer.groups.add(group)
    client.force_login(officer)

    listing = client.get("/admin/certificates-waiting/?status=gave_up").content.decode()
    row = PendingIssuance.objects.get()
    assert "Hind Alaoui" in listing and "Coudre" in listing and "OperationalError" in listing
    assert "à traiter par un opérateur" in listing  # the staff admin speaks French here
    retry = f"/admin/certificates-admin/waiting/{row.pk}/retry/"
    assert retry in listing
    broken_lists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry, {"reason": ""})

    assert response.status_code == 302
    assert Certificate.objects.filter(completion=completion).exists()
    assert not PendingIssuance.objects.exists()


def test_the_sweeper_issues_what_a_lost_signal_or_a_lost_message_left_behind(eager_tasks):
    course = make_course(lessons=1, quiz=False)
    lost_signal = complete(make_learner(), course)  # no on-commit capture: the signal never ran
    CourseCompletion.objects.filter(pk=lost_signal.pk).update(
        completed_at=timezone.now() - timedelta(minutes=5)
    )
    lost_message = complete(make_learner(), course)
    pending.record(lost_message)
    just_now = complete(make_learner(), course)  # its receiver may still be running

    counts = pending.sweep()

    assert counts == {"recorded": 1, "queued": 2}
    assert set(Certificate.objects.values_list("completion", flat=True)) == {
        lost_signal.pk,
        lost_message.pk,
    }
    assert not PendingIssuance.objects.exists()
    assert not Certificate.objects.filter(completion=just_now).exists()
