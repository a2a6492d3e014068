"""The learner gets a text message at the moments that matter, after the change is committed,
with no personal data in it; the log shows only the last two digits of the number."""

from __future__ import annotations

import logging

import pytest

from maalem.core import sms
from onboarding import statemachine
from onboarding.models import ApplicantProfile, CaseState
from tests.i18n import french

from .onboarding_builders import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc", "eager_tasks")]

RECEIVED = "We received your seller application. We will text you when your account is open."


class Logged(logging.Handler):
    """What onboarding logs."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def texts(settings):
    settings.MAALEM_SMS_BACKEND = "maalem.core.sms.InMemorySMSBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def logged():
    handler, logger = Logged(), logging.getLogger("onboarding")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(previous)


def with_applicant(state: str):
    case = make_case(state=state)
    ApplicantProfile.objects.create(case=case, cin="AB123456", phone="+212612345678")
    return case


@pytest.mark.parametrize(
    ("from_state", "to_state", "message"),
    [
        ("kyc_pending", CaseState.MANUAL_REVIEW, RECEIVED),
        ("kyc_pending", CaseState.SUBMITTED, RECEIVED),
        (
            "provisioning",
            CaseState.ACTION_REQUIRED,
            "Your payment account needs more information. Sign in to see what to do next.",
        ),
        (
            "provisioning",
            CaseState.ACTIVE,
            "Your payment account is open and your shop is live on the marketplace.",
        ),
    ],
)
def test_the_learner_is_texted_after_the_commit_when_the_case_enters_a_state_that_matters(
    texts, logged, django_capture_on_commit_callbacks, from_state, to_state, message
):
    case = with_applicant(from_state)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        statemachine.transition(case.pk, to_state, actor_label="test", reason="test")
    assert texts == []
    for callback in callbacks:
        callback()

    assert texts == [("+212612345678", french(message))]
    assert any("**********78" in line for line in logged)
    assert all("612345678" not in line and "AB123456" not in line for line in logged)


def test_nothing_is_texted_while_the_account_is_only_being_opened(
    texts, django_capture_on_commit_callbacks
):
    case = with_applicant("submitted")

    with django_capture_on_commit_callbacks(execute=True):
        statemachine.transition(case.pk, CaseState.PROVISIONING, actor_label="test", reason="test")

    assert texts == []
