"""What onboarding holds about a learner, and erasing it at her request.

Her export holds each case: its state and timeline, her applicant profile with the encrypted
fields decrypted (it is her own data), the answers kept for the payment provider, her photo,
and what her public seller page shows, read through the case (onboarding does not import its
local marketplace).

Erasing withdraws every open case by the same move as withdrawing her consent: the seller page
goes offline and the provider account is closed through the outbox. Her identity data then
waits the legal retention period (``ONBOARDING_ERASE_AFTER_DAYS``) and is erased by
:mod:`onboarding.erasure`, at once when that period is zero.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from maalem.core.personal_data import Section
from maalem.core.private_files import private_storage

from . import erasure
from .answer_models import ProviderAnswer
from .models import ApplicantProfile, OnboardingCase
from .operator_actions import withdraw
from .statemachine import TERMINAL_STATES, InvalidTransition

WITHDRAWN_REASON = "erasure asked by the learner"
PROFILE_FIELDS = (
    "cin",
    "phone",
    "artisan_register_number",
    "region",
    "shop_name",
    "payout_method",
    "rib",
    "wallet_phone",
    "consent_text",
    "consented_at",
)


def _private(name: str) -> Any:
    return lambda: private_storage().open(name, "rb")


def _sealed(answer: ProviderAnswer) -> Any:
    @contextmanager
    def opener() -> Iterator[IO[bytes]]:
        yield io.BytesIO(answer.content())

    return opener


def _seller_page(case: OnboardingCase, section: Section) -> dict[str, Any] | None:
    page = getattr(case, "seller_page", None)
    if page is None:
        return None
    photo = getattr(page, "photo", None)
    if photo is not None and photo.file:
        section.files.append((f"case-{case.pk}-shop-photo.jpg", _private_public(photo.file)))
    return {
        "title": page.title,
        "live": page.live,
        "region": getattr(page, "region", ""),
        "story_ar": getattr(page, "story_ar", ""),
        "story_fr": getattr(page, "story_fr", ""),
    }


def _private_public(file: Any) -> Any:
    return lambda: file.storage.open(file.name, "rb")


def _case(case: OnboardingCase, section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {
        "state": case.state,
        "created_at": case.created_at,
        "payment_account_status": case.payment_account_status,
        "timeline": list(
            case.transitions.order_by("at", "pk").values(
                "from_state", "to_state", "actor_label", "reason", "at"
            )
        ),
    }
    profile = ApplicantProfile.objects.filter(case=case).select_related("craft").first()
    if profile is not None:
        data["applicant"] = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        data["applicant"]["craft"] = str(profile.craft) if profile.craft else None
        if profile.photo:
            section.files.append((f"case-{case.pk}-photo.jpg", _private(profile.photo.name or "")))
    answers = []
    for answer in ProviderAnswer.objects.filter(case=case).order_by("pk"):
        answers.append(
            {
                "requirement": answer.requirement,
                "kind": answer.kind,
                "sent_at": answer.sent_at,
                **(
                    {"changes": answer.changes()}
                    if answer.sealed and not answer.is_document
                    else {}
                ),
            }
        )
        if answer.sealed and answer.is_document:
            section.files.append((f"case-{case.pk}-document-{answer.pk}", _sealed(answer)))
    data["provider_answers"] = answers
    data["seller_page"] = _seller_page(case, section)
    return data


def export(user: Any) -> Section:
    section = Section(data={"cases": []})
    for case in OnboardingCase.objects.filter(learner_id=user.pk).order_by("pk"):
        section.data["cases"].append(_case(case, section))
    return section


def _remove_seller_page(case: OnboardingCase) -> bool:
    """Delete the case's seller page, its revisions and its published photo: the story and
    the photo may show her. Reached through the case, like the export."""
    page = getattr(case, "seller_page", None)
    if page is None:
        return False
    photo = getattr(page, "photo", None)
    page.delete()
    if photo is not None:
        photo.delete()
    return True


def erase(user: Any, *, keep_certificates: bool) -> list[str]:
    kinds = []
    for case in OnboardingCase.objects.filter(learner_id=user.pk).order_by("pk"):
        if case.state not in TERMINAL_STATES:
            try:
                withdraw(case.pk, user, WITHDRAWN_REASON)
            except InvalidTransition:
                continue
            kinds.append("cases_withdrawn")
        if _remove_seller_page(case):
            kinds.append("seller_page")
    due = erasure.due_profiles().filter(case__learner_id=user.pk)
    for profile_id in list(due.values_list("pk", flat=True)):
        erasure.erase_profile(profile_id)
        kinds.append("identity")
    return sorted(set(kinds))
