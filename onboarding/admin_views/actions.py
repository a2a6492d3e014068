"""The operators' decisions on a case: approve, reject, retry and withdraw.

Each is a POST from a confirmation page that asks why, needs its own permission, and goes through
:mod:`onboarding.operator_actions`, which records it in the case's timeline with the operator's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maalem.core.confirm import ConfirmView

from .. import operator_actions, statemachine
from ..models import CaseState, OnboardingCase

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class CaseAction:
    """An operator's decision on a case, offered on the case page."""

    name: str
    label: StrOrPromise
    permission: str
    from_states: frozenset[str]
    run: Callable[[int, Any, str], OnboardingCase]
    done: StrOrPromise
    help: StrOrPromise
    #: Ends the case for good: its button says so.
    final: bool = False

    def is_offered(self, user: Any, case: OnboardingCase) -> bool:
        return case.state in self.from_states and user.has_perm(self.permission)


ACTIONS: dict[str, CaseAction] = {
    action.name: action
    for action in [
        CaseAction(
            name="approve",
            label=gettext_lazy("Approve"),
            permission="maalem_onboarding.review_case",
            from_states=frozenset({CaseState.MANUAL_REVIEW}),
            run=operator_actions.approve,
            done=gettext_lazy("Case approved: the payment account is being opened."),
            help=gettext_lazy("The case goes on to open the payment account."),
        ),
        CaseAction(
            name="reject",
            label=gettext_lazy("Reject"),
            permission="maalem_onboarding.review_case",
            from_states=frozenset({CaseState.MANUAL_REVIEW, CaseState.FAILED_NEEDS_OPERATOR}),
            run=operator_actions.reject,
            done=gettext_lazy("Case rejected."),
            help=gettext_lazy("Final: the learner cannot become a seller with this case."),
            final=True,
        ),
        CaseAction(
            name="retry",
            label=gettext_lazy("Retry"),
            permission="maalem_onboarding.retry_case",
            from_states=frozenset({CaseState.FAILED_NEEDS_OPERATOR}),
            run=operator_actions.retry,
            done=gettext_lazy("Case retried: its failed steps run again."),
            help=gettext_lazy("The failed steps get a new round of attempts."),
        ),
        CaseAction(
            name="withdraw",
            label=gettext_lazy("Withdraw"),
            permission="maalem_onboarding.withdraw_case",
            from_states=frozenset(set(CaseState.values) - set(statemachine.TERMINAL_STATES)),
            run=operator_actions.withdraw,
            done=gettext_lazy("Case withdrawn."),
            help=gettext_lazy("Final: do this only when the learner has withdrawn their consent."),
            final=True,
        ),
    ]
}


def action_url(case: OnboardingCase, name: str) -> str:
    return reverse("onboarding_case:action", args=[case.pk, name])


class CaseActionView(ConfirmView):
    """The confirmation page of an action (GET) and the action itself (POST)."""

    header_icon = "tasks"
    reason_help_text = gettext_lazy("Recorded in the case's timeline with your name.")
    refused_by = (statemachine.InvalidTransition,)

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        action = ACTIONS.get(kwargs["action"])
        if action is None:
            raise Http404
        self.action = action

    def get_permission(self) -> str:
        return self.action.permission

    def get_object(self) -> OnboardingCase:
        return get_object_or_404(OnboardingCase, pk=self.kwargs["pk"])

    def get_page_title(self) -> str:
        return _("%(action)s case %(id)s") % {"action": self.action.label, "id": self.object.pk}

    def get_summary(self) -> list[tuple[StrOrPromise, Any]]:
        return [(_("Case"), self.object.pk), (_("State"), self.object.get_state_display())]

    def get_explanation(self) -> StrOrPromise:
        return self.action.help

    def get_submit_label(self) -> StrOrPromise:
        return self.action.label

    def is_destructive(self) -> bool:
        return self.action.final

    def perform(self, reason: str) -> None:
        self.action.run(self.object.pk, self.request.user, reason)

    def get_success_message(self) -> StrOrPromise:
        return self.action.done

    def get_refusal_message(self, error: Exception) -> str:
        return _("The case was not changed: %(error)s") % {"error": error}

    def get_success_url(self) -> str:
        return reverse("onboarding_case:inspect", args=[self.object.pk])
