"""Every payment backend takes the seller's answers to its requirements the same way: documents
and corrections, each kept once per idempotency key, meeting the requirements they answer.

Runs once per backend of :data:`payments_subjects.SUBJECTS`, as the rest of the contract does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from onboarding.providers.base import (
    AccountChanges,
    AccountStatus,
    DocumentUpload,
    PaymentAccount,
    ProviderRejected,
)

from .onboarding_builders import valid_rib
from .payments_builders import make_applicant
from .payments_subjects import SUBJECTS, Subject

STAYS_PENDING = "AB121111"
FRONT = DocumentUpload("identity_card_front", b"\xff\xd8front", "image/jpeg", "identity_document")
BACK = DocumentUpload("identity_card_back", b"\xff\xd8back", "image/jpeg", "identity_document")


@pytest.fixture(scope="module", params=sorted(SUBJECTS))
def subject(request: Any) -> Iterator[Subject]:
    with SUBJECTS[request.param]() as made:
        yield made


def key() -> str:
    return f"answer-{uuid.uuid4()}"


def restricted(subject: Subject, *requirements: str) -> PaymentAccount:
    account = subject.backend.open_account(make_applicant(national_id=STAYS_PENDING), key())
    subject.set_account(account.ref, AccountStatus.RESTRICTED, list(requirements))
    return subject.backend.get_account(account.ref)


def test_a_document_sent_twice_with_one_key_is_the_same_document(subject):
    account = restricted(subject, "identity_document")
    same_key = key()

    first = subject.backend.upload_document(account.ref, FRONT, same_key)
    second = subject.backend.upload_document(account.ref, FRONT, same_key)

    assert first.ref == second.ref
    assert first.ref != subject.backend.upload_document(account.ref, FRONT, key()).ref
    assert (first.account_ref, first.kind) == (account.ref, "identity_card_front")


def test_both_sides_of_the_id_card_meet_the_identity_requirement_and_the_account_is_reviewed(
    subject,
):
    account = restricted(subject, "identity_document", "proof_of_address")

    subject.backend.upload_document(account.ref, FRONT, key())
    after_front = subject.backend.get_account(account.ref)
    subject.backend.upload_document(account.ref, BACK, key())
    after_back = subject.backend.get_account(account.ref)
    bill = DocumentUpload("proof_of_address", b"%PDF", "application/pdf", "proof_of_address")
    subject.backend.upload_document(account.ref, bill, key())
    after_all = subject.backend.get_account(account.ref)

    assert after_front.requirement_codes == ["identity_document", "proof_of_address"]
    assert after_back.requirement_codes == ["proof_of_address"]
    assert after_back.status == AccountStatus.RESTRICTED
    assert (after_all.status, after_all.requirement_codes) == (AccountStatus.PENDING, [])
    assert after_all.updated >= account.updated


def test_a_document_of_another_kind_meets_the_requirement_it_names(subject):
    account = restricted(subject, "tax_certificate")
    other = DocumentUpload("other", b"\xff\xd8tax", "image/jpeg", "tax_certificate")

    subject.backend.upload_document(account.ref, other, key())

    assert subject.backend.get_account(account.ref).status == AccountStatus.PENDING


def test_a_corrected_rib_meets_the_bank_account_requirement(subject):
    account = restricted(subject, "bank_account")
    same_key = key()

    updated = subject.backend.update_account(account.ref, AccountChanges(rib=valid_rib()), same_key)
    replayed = subject.backend.update_account(
        account.ref, AccountChanges(rib=valid_rib()), same_key
    )

    assert (updated.status, updated.requirement_codes) == (AccountStatus.PENDING, [])
    assert replayed.ref == updated.ref == account.ref


def test_answers_for_an_unknown_account_are_refused_for_good(subject):
    with pytest.raises(ProviderRejected):
        subject.backend.upload_document("acct_doesnotexist", FRONT, key())
    with pytest.raises(ProviderRejected):
        subject.backend.update_account(
            "acct_doesnotexist", AccountChanges(phone="+212612345678"), key()
        )


def test_a_key_reused_for_another_document_is_refused_for_good(subject):
    account = restricted(subject, "identity_document")
    same_key = key()
    subject.backend.upload_document(account.ref, FRONT, same_key)

    with pytest.raises(ProviderRejected):
        subject.backend.upload_document(account.ref, BACK, same_key)
