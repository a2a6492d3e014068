"""Every payment backend gives an active account the identifiers of its merchant-presented QR
code, and none to an account that cannot be paid; the case keeps them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS31Validator

from onboarding import provisioning
from onboarding.models import OnboardingCase
from onboarding.providers.base import AccountStatus, PaymentAccount
from onboarding.providers.payments import account_request
from onboarding.sandbox import Config, Sandbox

from .marketplace_builders import applied_case
from .payments_builders import make_applicant
from .payments_subjects import SUBJECTS, Subject

STAYS_PENDING = "AB121111"
CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "payments-contract.openapi.yaml"


@pytest.fixture(scope="module", params=sorted(SUBJECTS))
def subject(request: Any) -> Iterator[Subject]:
    with SUBJECTS[request.param]() as made:
        yield made


def opened(subject: Subject) -> PaymentAccount:
    applicant = make_applicant(national_id=STAYS_PENDING)
    return subject.backend.open_account(applicant, f"qr-{uuid.uuid4()}")


def test_a_pending_account_has_no_qr_identifiers(subject):
    assert opened(subject).merchant_qr is None


def test_an_active_account_has_the_same_qr_identifiers_at_every_read(subject):
    account = opened(subject)

    subject.set_account(account.ref, AccountStatus.ACTIVE, [])
    first = subject.backend.get_account(account.ref).merchant_qr
    second = subject.backend.get_account(account.ref).merchant_qr

    assert first is not None and first == second
    assert 1 <= len(first.gui) <= 32 and first.gui.isascii()
    assert first.merchant_id.isdigit()


def test_the_webhook_carries_the_qr_identifiers_of_an_active_account(subject):
    account = opened(subject)
    subject.set_account(account.ref, AccountStatus.ACTIVE, [])

    body, _headers = subject.webhook(account.ref, 0)

    assert b'"merchant_qr"' in body and b'"gui"' in body


@pytest.mark.parametrize("status", [AccountStatus.RESTRICTED, AccountStatus.REJECTED])
def test_an_account_that_cannot_be_paid_loses_its_qr_identifiers(subject, status):
    account = opened(subject)
    subject.set_account(account.ref, AccountStatus.ACTIVE, [])

    subject.set_account(account.ref, status, ["identity_document"])

    assert subject.backend.get_account(account.ref).merchant_qr is None


@pytest.mark.django_db
@pytest.mark.usefixtures("pii_keys")
def test_the_case_keeps_the_identifiers_it_was_given_when_the_account_became_active(subject):
    case = applied_case()
    account = opened(subject)
    subject.set_account(account.ref, AccountStatus.ACTIVE, [])

    provisioning.apply_account(
        case.pk, subject.backend.get_account(account.ref), actor_label="provider"
    )

    qr = subject.backend.get_account(account.ref).merchant_qr
    assert qr is not None
    stored = OnboardingCase.objects.get(pk=case.pk).merchant_qr
    assert stored == {"gui": qr.gui, "merchant_id": qr.merchant_id}


def test_the_sandboxs_accounts_are_the_documented_account_with_or_without_qr_identifiers():
    contract = yaml.safe_load(CONTRACT.read_text())
    account_schema = {"$ref": "#/components/schemas/Account", "components": contract["components"]}
    sandbox = Sandbox(Config(activation_delay=3600))
    try:
        opened = sandbox.create_account(account_request(make_applicant()), "qr-schema")
        moved = sandbox.update_account(opened.body["id"], {"status": "active"})
        closed = sandbox.update_account(opened.body["id"], {"status": "rejected"})
    finally:
        sandbox.scheduler.clear()

    for answer in (opened, moved, closed):
        OAS31Validator(account_schema).validate(answer.body)
    assert moved.body["merchant_qr"]["gui"] == "ma.maalem.sandbox"
    assert closed.body["merchant_qr"] is None
