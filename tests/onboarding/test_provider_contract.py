"""Every payment backend that ships keeps the same contract, and so does the marketplace backend.

The payment tests run once per backend in :data:`payments_subjects.SUBJECTS`: the HTTP client
against the sandbox process, the same client against the sandbox's domain in this process, and
the in-memory provider. A new backend passes when it is added there.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation

from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.providers.base import (
    AccountStatus,
    PaymentAccount,
    ProviderRejected,
    Requirement,
    WebhookRejected,
    requirement_label,
)
from tests.builders import default_site

from .marketplace_builders import applied_case, open_account
from .payments_builders import make_applicant
from .payments_subjects import SUBJECTS, Subject

# A national ID ending the sandbox leaves pending until its back office moves the account.
STAYS_PENDING = "AB121111"


@pytest.fixture(scope="module", params=sorted(SUBJECTS))
def subject(request: Any) -> Iterator[Subject]:
    with SUBJECTS[request.param]() as made:
        yield made


def new_key() -> str:
    return f"contract-{uuid.uuid4()}"


def opened(subject: Subject) -> PaymentAccount:
    return subject.backend.open_account(make_applicant(national_id=STAYS_PENDING), new_key())


def test_opening_an_account_twice_with_one_key_returns_the_first_account(subject):
    key = new_key()
    before = subject.accounts_opened()

    first = subject.backend.open_account(make_applicant(national_id=STAYS_PENDING), key)
    second = subject.backend.open_account(make_applicant(national_id=STAYS_PENDING), key)

    assert second.ref == first.ref
    assert subject.accounts_opened() == before + 1


def test_another_key_opens_another_account(subject):
    assert opened(subject).ref != opened(subject).ref


def test_a_key_reused_with_another_applicant_is_refused_for_good(subject):
    key = new_key()
    subject.backend.open_account(make_applicant(shop_name="Dar Zellige"), key)

    with pytest.raises(ProviderRejected):
        subject.backend.open_account(make_applicant(shop_name="Another shop"), key)


def test_a_new_account_is_pending_and_says_when_it_last_changed(subject):
    account = opened(subject)

    assert account.status == AccountStatus.PENDING
    assert account.requirements == []
    assert account.updated.tzinfo is not None
    assert abs(datetime.now(UTC) - account.updated) < timedelta(minutes=1)


def test_get_account_serves_the_account_as_the_provider_changed_it(subject):
    account = opened(subject)

    subject.set_account(account.ref, AccountStatus.RESTRICTED, ["identity_document"])
    served = subject.backend.get_account(account.ref)

    assert served.ref == account.ref
    assert served.status == AccountStatus.RESTRICTED
    assert served.requirements == [Requirement("identity_document")]
    with translation.override("en"):
        assert served.requirements[0].label.startswith("A clear photo of both sides")
    assert served.updated >= account.updated


def test_every_status_of_the_vocabulary_is_served_as_set(subject):
    account = opened(subject)

    for status in AccountStatus.values:
        subject.set_account(account.ref, status, [])
        assert subject.backend.get_account(account.ref).status == status


def test_an_unknown_account_is_refused_for_good(subject):
    with pytest.raises(ProviderRejected):
        subject.backend.get_account("acct_doesnotexist")


def test_a_webhook_signed_by_the_provider_is_accepted_and_names_the_account(subject):
    account = opened(subject)
    body, headers = subject.webhook(account.ref, int(time.time()))

    event = subject.backend.parse_webhook(body, headers)

    assert (event.type, event.account_ref) == ("account.updated", account.ref)
    assert event.id == headers["Webhook-Id"]


def test_a_webhook_whose_body_was_altered_is_rejected(subject):
    account = opened(subject)
    body, headers = subject.webhook(account.ref, int(time.time()))

    with pytest.raises(WebhookRejected):
        subject.backend.parse_webhook(body.replace(b"account.updated", b"account.deleted"), headers)


def test_a_webhook_signed_ten_minutes_ago_is_rejected(subject):
    account = opened(subject)
    body, headers = subject.webhook(account.ref, int(time.time()) - 600)

    with pytest.raises(WebhookRejected):
        subject.backend.parse_webhook(body, headers)


def test_a_webhook_without_a_signature_is_rejected(subject):
    account = opened(subject)
    body, headers = subject.webhook(account.ref, int(time.time()))

    with pytest.raises(WebhookRejected):
        subject.backend.parse_webhook(body, {"Webhook-Id": headers["Webhook-Id"]})


def test_an_account_without_an_updated_time_cannot_be_made():
    with pytest.raises(ValueError, match="timezone-aware"):
        PaymentAccount("acct_1", AccountStatus.ACTIVE, [], datetime(2026, 1, 1))


# The marketplace -----------------------------------------------------------------------------

MARKETPLACES = [LocalMarketplaceBackend]


@pytest.mark.django_db
@pytest.mark.usefixtures("pii_keys")
@pytest.mark.parametrize("backend_class", MARKETPLACES)
def test_a_seller_is_created_once_and_then_updated(backend_class):
    default_site()
    case = applied_case(shop_name="Dar Nhas")
    backend = backend_class()

    first = backend.create_or_update_seller(case)
    second = backend.create_or_update_seller(open_account(case, AccountStatus.ACTIVE))

    assert first == second


@pytest.mark.django_db
@pytest.mark.usefixtures("pii_keys")
@pytest.mark.parametrize("backend_class", MARKETPLACES)
def test_a_seller_has_an_address_only_once_their_account_is_active(backend_class):
    default_site()
    case = applied_case(shop_name="Dar Nhas")
    backend = backend_class()
    backend.create_or_update_seller(case)
    assert backend.seller_url(case, "fr") is None

    backend.create_or_update_seller(open_account(case, AccountStatus.ACTIVE))

    url = backend.seller_url(case, "fr")
    assert url is not None and url.startswith("/fr/")


def test_a_requirement_code_outside_the_vocabulary_gets_the_general_wording():
    with translation.override("en"):
        assert Requirement("tax_number_xyz").label == requirement_label("selfie_with_cat")
        assert requirement_label("tax_number_xyz").startswith("Another document")
        assert requirement_label("selfie") == "A photo of your face."
