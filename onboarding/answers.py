"""Answering the payment provider when it asks for more (the case is ``action_required``).

Each requirement the provider lists gets a control (:func:`controls_for`): a photo to send for a
document, a field for a detail to correct. :func:`send_answers` keeps what the learner sent, one
:class:`~onboarding.answer_models.ProviderAnswer` per document and one for the corrections, each
with its own outbox step (fixed idempotency key), in the transaction that records them; the
worker sends each once (:func:`send`), and the provider says by webhook when it is satisfied:
the case then moves on as any account update moves it (:mod:`onboarding.provisioning`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import queueing
from .answer_models import CHANGES, ProviderAnswer
from .conf import app_settings
from .models import ApplicantProfile, CaseState, OnboardingCase, OnboardingStep, StepKind
from .providers import get_backend
from .providers.base import (
    AccountChanges,
    DocumentKind,
    DocumentUpload,
    PaymentAccount,
    PayoutMethod,
    ProviderDocument,
    ProviderRejected,
    requirement_label,
)
from .statemachine import InvalidTransition

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

logger = logging.getLogger(__name__)

ANSWER_STEP_KINDS = frozenset({StepKind.DOCUMENT, StepKind.ACCOUNT_CHANGES})
DETAILS = ("name", "phone", "rib")


@dataclass(frozen=True)
class Control:
    """One input of the page that answers the provider: a photo or a detail to correct."""

    name: str  # the form field's name
    requirement: str  # the provider's code it answers
    kind: str  # a DocumentKind value for a photo, a DETAILS name for a correction
    label: str | _StrPromise
    is_file: bool


def _photo(requirement: str, kind: DocumentKind, name: str = "") -> Control:
    return Control(name or kind.value, requirement, kind.value, kind.label, True)


# What answers each requirement code of the vocabulary (onboarding.providers.base).
CONTROLS: dict[str, list[Control]] = {
    "identity_document": [
        _photo("identity_document", DocumentKind.IDENTITY_CARD_FRONT),
        _photo("identity_document", DocumentKind.IDENTITY_CARD_BACK),
    ],
    "proof_of_address": [_photo("proof_of_address", DocumentKind.PROOF_OF_ADDRESS)],
    "selfie": [_photo("selfie", DocumentKind.SELFIE)],
    "bank_account": [Control("rib", "bank_account", "rib", _("Your bank RIB (24 digits)"), False)],
    "phone_verification": [
        Control("phone", "phone_verification", "phone", _("Your mobile number"), False)
    ],
    "legal_name": [
        Control(
            "name", "legal_name", "name", _("Your full name, as on your national ID card"), False
        )
    ],
}


def controls_for(requirements: Iterable[Any]) -> list[Control]:
    """The inputs that answer ``requirements``, in order; an unknown code asks for a photo of
    the document, labelled with the general wording."""
    controls: list[Control] = []
    for position, code in enumerate(dict.fromkeys(str(code) for code in requirements or [])):
        known = CONTROLS.get(code)
        if known is None:
            label = requirement_label(code)
            known = [Control(f"other_{position}", code, DocumentKind.OTHER.value, label, True)]
        controls.extend(known)
    return controls


@dataclass(frozen=True)
class Photo:
    content: bytes
    content_type: str


def send_answers(
    case_id: int, actor: Any, photos: Mapping[str, Photo], details: Mapping[str, str]
) -> list[ProviderAnswer]:
    """Keep the learner's answers and queue one outbox step per document and one for the
    corrections; return the answers kept.

    ``photos`` maps control names to checked files, ``details`` control names to values already
    read (:mod:`onboarding.values`). Nothing is kept unless all of it is: one transaction.
    """
    with transaction.atomic():
        case = OnboardingCase.objects.select_for_update().get(pk=case_id)
        if actor is None or actor.pk != case.learner_id:
            raise PermissionDenied(f"Only the learner of case {case_id} may answer for it.")
        if case.state != CaseState.ACTION_REQUIRED:
            raise InvalidTransition(f"Case {case_id} is {case.state}: nothing is asked for now.")
        controls = {control.name: control for control in controls_for(case.requirements)}
        # The provider may have changed its list since the page was shown: only what it still
        # asks for is sent.
        photos = {name: photo for name, photo in photos.items() if name in controls}
        details = {name: value for name, value in details.items() if name in controls}
        answers = []
        for name, photo in photos.items():
            control = controls[name]
            answer = _new_answer(case, StepKind.DOCUMENT, control.requirement, control.kind)
            answer.content_type = photo.content_type
            answer.seal(photo.content)
            answer.save()
            answers.append(answer)
        changes = {controls[name].kind: value for name, value in details.items() if value}
        if changes:
            codes = ",".join(sorted({controls[name].requirement for name in details}))
            answer = _new_answer(case, StepKind.ACCOUNT_CHANGES, codes[:100], CHANGES)
            answer.seal_changes(changes)
            answer.save()
            answers.append(answer)
            _keep_in_application(case, changes)
    logger.info(
        "case %s: %s answer(s) to the provider queued (%s)",
        case_id,
        len(answers),
        ", ".join(answer.kind for answer in answers),
    )
    return answers


def _new_answer(case: OnboardingCase, kind: str, requirement: str, what: str) -> ProviderAnswer:
    step = OnboardingStep.objects.create(
        case=case,
        kind=kind,
        max_attempts=app_settings.MAX_ATTEMPTS,
        next_attempt_at=timezone.now(),
        enqueued_at=timezone.now(),
    )
    queueing.send_on_commit(queueing.RUN_STEP, step.pk)
    return ProviderAnswer(case=case, step=step, requirement=requirement, kind=what)


def _keep_in_application(case: OnboardingCase, changes: Mapping[str, str]) -> None:
    """The application says what the provider was told: a new RIB or phone replaces the old."""
    values: dict[str, Any] = {}
    if changes.get("rib"):
        values.update(rib=changes["rib"], payout_method=PayoutMethod.BANK)
    if changes.get("phone"):
        values["phone"] = changes["phone"]
    if values:
        # update() encrypts through the fields as save() does.
        ApplicantProfile.objects.filter(case=case).update(**values, updated_at=timezone.now())


def send(step: OnboardingStep) -> ProviderDocument | PaymentAccount:
    """Send one answer to the provider with the step's idempotency key (no transaction open)."""
    answer = ProviderAnswer.objects.get(step=step)
    ref = step.case.payment_account_ref
    if not ref:
        raise ProviderRejected("the case has no payment account to answer for")
    backend = get_backend("payments")
    key = str(step.idempotency_key)
    if answer.is_document:
        upload = DocumentUpload(
            answer.kind, answer.content(), answer.content_type, answer.requirement
        )
        document: ProviderDocument = backend.upload_document(ref, upload, key)
        return document
    changes = {name: str(value) for name, value in answer.changes().items() if name in DETAILS}
    account: PaymentAccount = backend.update_account(ref, AccountChanges(**changes), key)
    return account


def erase_sent(step: OnboardingStep) -> None:
    """The provider has the answer: erase our copy. Call it in the step's success transaction."""
    ProviderAnswer.objects.filter(step=step).update(sealed="", sent_at=timezone.now())


def forget(step: OnboardingStep) -> None:
    """The case ended (withdrawn, rejected) before the answer was sent: erase our copy unsent."""
    ProviderAnswer.objects.filter(step=step, sent_at=None).update(sealed="")


def answers_since_asked(case: OnboardingCase) -> list[ProviderAnswer]:
    """What the learner sent since the provider last asked (the case entered action_required)."""
    asked = case.transitions.filter(to_state=CaseState.ACTION_REQUIRED).order_by("-at").first()
    answers = ProviderAnswer.objects.filter(case=case).select_related("step")
    if asked is not None:
        answers = answers.filter(created_at__gte=asked.at)
    return list(answers.order_by("created_at", "pk"))
