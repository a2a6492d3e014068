import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from onboarding import operator_actions, statemachine, steps
from onboarding.models import CaseTransition, OnboardingCase
from onboarding.signals import case_state_changed
from onboarding.statemachine import InvalidTransition
from tests.builders import make_learner

from .onboarding_builders import make_case, make_operator

pytestmark = pytest.mark.django_db


def test_an_allowed_move_changes_the_state_and_adds_a_line_to_the_timeline():
    case = make_case()
    statemachine.transition(
        case.pk, "kyc_pending", actor_label="learner", reason="started the form"
    )

    case.refresh_from_db()
    assert case.state == "kyc_pending"
    line = case.transitions.last()
    assert (line.from_state, line.to_state, line.actor_label, line.reason) == (
        "eligible",
        "kyc_pending",
        "learner",
        "started the form",
    )


def test_opening_a_case_is_the_first_line_of_its_timeline():
    case = make_case()
    assert list(case.transitions.values_list("from_state", "to_state")) == [("", "eligible")]


def test_a_move_the_table_does_not_allow_is_refused_with_the_allowed_ones_named():
    case = make_case()
    with pytest.raises(
        InvalidTransition, match="cannot go from eligible to active; from eligible it can go to"
    ):
        statemachine.transition(case.pk, "active", actor_label="system", reason="skip ahead")
    case.refresh_from_db()
    assert case.state == "eligible"
    assert case.transitions.count() == 1


@pytest.mark.parametrize("final", ["rejected", "withdrawn"])
def test_rejected_and_withdrawn_are_final(final):
    case = make_case(state=final)
    with pytest.raises(InvalidTransition, match=r"it is final"):
        statemachine.transition(case.pk, "provisioning", actor_label="system", reason="revive")


def test_a_move_made_on_a_stale_idea_of_the_state_is_refused():
    case = make_case(state="provisioning")
    with pytest.raises(InvalidTransition, match="is provisioning, not submitted"):
        statemachine.transition(
            case.pk, "manual_review", actor_label="system", reason="x", expected_from="submitted"
        )


def test_the_state_changed_signal_is_sent_only_once_the_change_is_committed(
    django_capture_on_commit_callbacks,
):
    case = make_case()
    received = []

    def listener(sender, case, from_state, to_state, transition, **kwargs):
        received.append((case.pk, from_state, to_state, transition.pk))

    case_state_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            statemachine.transition(case.pk, "kyc_pending", actor_label="learner", reason="started")
            assert received == []
    finally:
        case_state_changed.disconnect(listener)
    line = CaseTransition.objects.get(case=case, to_state="kyc_pending")
    assert received == [(case.pk, "eligible", "kyc_pending", line.pk)]


def test_approving_a_case_in_review_needs_the_review_permission():
    case = make_case(state="manual_review")
    clerk = make_operator("retry_case")
    with pytest.raises(
        PermissionDenied, match="needs the maalem_onboarding.review_case permission"
    ):
        operator_actions.approve(case.pk, clerk, "looks fine")
    case.refresh_from_db()
    assert case.state == "manual_review"


def test_a_reviewer_approves_a_case_and_provisioning_starts():
    case = make_case(state="manual_review")
    reviewer = make_operator("review_case")
    operator_actions.approve(case.pk, reviewer, "same person, new card")

    case.refresh_from_db()
    assert case.state == "provisioning"
    approval = case.transitions.get(to_state="submitted")
    assert (approval.actor, approval.actor_label, approval.reason) == (
        reviewer,
        "operator",
        "same person, new card",
    )
    assert case.steps.get().kind == "payment_account"


def test_the_system_cannot_decide_a_manual_review():
    case = make_case(state="manual_review")
    with pytest.raises(PermissionDenied, match="is a person's decision"):
        statemachine.transition(case.pk, "submitted", actor_label="system", reason="auto")


def test_a_learner_may_withdraw_their_own_case_but_not_someone_elses():
    case = make_case()
    with pytest.raises(PermissionDenied, match="withdraw_case"):
        operator_actions.withdraw(case.pk, make_learner(), "not mine")
    operator_actions.withdraw(case.pk, case.learner, "I changed my mind")
    case.refresh_from_db()
    assert case.state == "withdrawn"
    assert case.transitions.last().actor_label == "learner"


def test_retrying_a_failed_case_needs_the_retry_permission_and_restarts_its_step():
    case = make_case(state="provisioning")
    step = steps.ensure_step(case, "payment_account")
    type(step).objects.filter(pk=step.pk).update(status="failed", attempts=8, next_attempt_at=None)
    OnboardingCase.objects.filter(pk=case.pk).update(state="failed_needs_operator")

    with pytest.raises(PermissionDenied):
        operator_actions.retry(case.pk, make_operator("review_case"), "again")
    operator_actions.retry(case.pk, make_operator("retry_case"), "provider is back")

    case.refresh_from_db()
    step.refresh_from_db()
    assert case.state == "provisioning"
    assert (step.status, step.attempts) == ("pending", 0)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_of_the_same_move_apply_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks: run with DATABASE_URL pointing at PostgreSQL")
    case = make_case(state="kyc_pending")
    barrier = threading.Barrier(4)
    outcomes = []

    def submit():
        barrier.wait()
        try:
            statemachine.transition(
                case.pk,
                "submitted",
                actor_label="system",
                reason="race",
                expected_from="kyc_pending",
            )
            outcomes.append("moved")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["moved", "refused", "refused", "refused"]
    assert CaseTransition.objects.filter(case=case, to_state="submitted").count() == 1
