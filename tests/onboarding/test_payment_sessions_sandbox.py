"""Payment sessions through the HTTP client against the sandbox process: one session per key,
the hosted page's test cards and wallets, refunds, and a ledger that adds up to the centime."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from onboarding.providers.base import ProviderError, ProviderRejected
from onboarding.providers.payments import HTTPPaymentsBackend
from onboarding.sandbox.sales import fee
from tests.worker import wait_for

from .payment_session_builders import (
    DECLINED,
    RETURN_URL,
    SECURE,
    SUCCEEDS,
    active_account,
    ledger,
    open_session,
    pay,
    session_id_in,
    wait_for_refund,
)
from .sandbox_process import RunningSandbox, running_sandbox


@pytest.fixture(scope="module")
def sandbox_server() -> Iterator[RunningSandbox]:
    with running_sandbox(activation_delay=0.2) as sandbox:
        yield sandbox


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> RunningSandbox:
    sandbox_server.reset()
    sandbox_server.configure(refund_delay=0.05)
    return sandbox_server


@pytest.fixture
def backend(sandbox: RunningSandbox) -> HTTPPaymentsBackend:
    return HTTPPaymentsBackend(**sandbox.options())


def test_the_same_key_twice_opens_one_session(sandbox, backend):
    account = active_account(sandbox, backend)

    first = open_session(backend, account, idempotency_key="order-7-payment", reference="order-7")
    again = open_session(backend, account, idempotency_key="order-7-payment", reference="order-7")

    assert again.ref == first.ref
    assert (first.status, first.amount_minor, first.currency) == ("open", 15_000, "MAD")
    assert first.fee_minor == fee(15_000) == 325  # 1.5 % of 150 MAD is 2.25 MAD, plus 1 MAD
    assert sandbox.stats()["payment_sessions_created"] == 1
    pay(first, SUCCEEDS)
    assert [line["type"] for line in ledger(sandbox)["lines"]] == ["sale", "fee"]


def test_the_same_key_with_another_amount_is_refused_for_good(sandbox, backend):
    account = active_account(sandbox, backend)
    open_session(backend, account, idempotency_key="order-8-payment", reference="order-8")

    with pytest.raises(ProviderRejected, match="idempotency_key_reused"):
        open_session(
            backend,
            account,
            idempotency_key="order-8-payment",
            reference="order-8",
            amount_minor=15_001,
        )
    assert sandbox.stats()["payment_sessions_created"] == 1


def test_only_an_active_account_takes_payments(sandbox, backend):
    account = active_account(sandbox, backend)
    sandbox.set_account(account, "closed")

    with pytest.raises(ProviderRejected, match="account_not_active.*closed"):
        open_session(backend, account)
    with pytest.raises(ProviderRejected, match="amount_invalid"):
        open_session(backend, active_account(sandbox, backend), amount_minor=499)
    assert sandbox.stats()["payment_sessions_created"] == 0


def test_a_failing_provider_is_worth_a_retry_with_the_same_key(sandbox, backend):
    account = active_account(sandbox, backend)
    sandbox.faults(fail_next=1)

    with pytest.raises(ProviderError):
        open_session(backend, account, idempotency_key="order-9-payment")
    session = open_session(backend, account, idempotency_key="order-9-payment")

    assert session.status == "open"
    assert sandbox.stats()["payment_sessions_created"] == 1


def test_the_test_card_that_succeeds_pays_once_and_returns_the_buyer(sandbox, backend):
    session = open_session(backend, active_account(sandbox, backend))

    back = pay(session, SUCCEEDS)
    paid = backend.get_payment_session(session.ref)

    assert back.startswith(RETURN_URL) and session_id_in(back) == session.ref
    assert paid.status == "succeeded" and paid.payment_ref.startswith("pay_")
    # A second press of the button (or the back button) makes no second payment.
    again = requests.post(session.hosted_url, data={"method": SUCCEEDS, "lang": "fr"}, timeout=5)
    assert again.status_code == 200 and "terminé" in again.text
    assert backend.get_payment_session(session.ref).payment_ref == paid.payment_ref
    assert sandbox.stats()["payments_by_reference"] == {session.reference: 1}


@pytest.mark.parametrize(
    ("method", "code", "status"),
    [
        (DECLINED, "", "failed"),
        ("wallet_declined", "", "failed"),
        ("wallet_succeeds", "", "succeeded"),
        (SECURE, "123456", "succeeded"),
        (SECURE, "000000", "failed"),
    ],
)
def test_each_test_method_ends_the_session_as_documented(sandbox, backend, method, code, status):
    session = open_session(backend, active_account(sandbox, backend))

    back = pay(session, method, code)

    assert session_id_in(back) == session.ref
    assert backend.get_payment_session(session.ref).status == status
    sales = [line for line in ledger(sandbox)["lines"] if line["type"] == "sale"]
    assert len(sales) == (1 if status == "succeeded" else 0)


def test_the_hosted_page_speaks_the_buyers_language(sandbox, backend):
    session = open_session(backend, active_account(sandbox, backend), amount_minor=123_450)

    arabic = requests.get(session.hosted_url, headers={"Accept-Language": "ar-MA,fr;q=0.8"})
    english = requests.get(session.hosted_url, params={"lang": "en"}, timeout=5)

    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert "الدفع ينجح" in arabic.text and "1\u202f234,50</bdi>\u00a0درهم" in arabic.text
    assert '<html lang="en" dir="ltr">' in english.text and "MAD\u00a01,234.50" in english.text
    assert "<script" not in arabic.text
    unchosen = requests.post(session.hosted_url, data={"lang": "ar"}, timeout=5)
    assert unchosen.status_code == 422 and "اختر بطاقة أو محفظة واحدة" in unchosen.text


def test_refunds_settle_and_never_exceed_the_payment(sandbox, backend):
    account = active_account(sandbox, backend)
    session = open_session(backend, account, amount_minor=20_000)
    pay(session, SUCCEEDS)
    payment = backend.get_payment_session(session.ref).payment_ref

    part = backend.refund(payment_ref=payment, amount_minor=5_000, idempotency_key="refund-1")
    same = backend.refund(payment_ref=payment, amount_minor=5_000, idempotency_key="refund-1")
    with pytest.raises(ProviderRejected, match="amount_too_large"):
        backend.refund(payment_ref=payment, amount_minor=15_001, idempotency_key="refund-2")
    rest = backend.refund(payment_ref=payment, amount_minor=15_000, idempotency_key="refund-3")

    assert same.ref == part.ref and part.status == "pending"
    wait_for_refund(backend, part.ref)
    wait_for_refund(backend, rest.ref)
    with pytest.raises(ProviderRejected, match="amount_too_large"):
        backend.refund(payment_ref=payment, amount_minor=1, idempotency_key="refund-4")
    assert sandbox.stats()["refunds_created"] == 2


def test_the_ledger_adds_up_to_the_centime(sandbox, backend):
    account = active_account(sandbox, backend)
    amounts = [15_000, 999, 250_075]
    sessions = [open_session(backend, account, amount_minor=amount) for amount in amounts]
    for session in sessions:
        pay(session, SUCCEEDS)
    pay(open_session(backend, account, amount_minor=40_000), DECLINED)
    payment = backend.get_payment_session(sessions[0].ref).payment_ref
    refund = backend.refund(payment_ref=payment, amount_minor=2_550, idempotency_key="r-1")
    wait_for_refund(backend, refund.ref)

    totals = ledger(sandbox)["accounts"][account]
    balance = requests.get(
        f"{sandbox.url}/v1/accounts/{account}/balance",
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        timeout=5,
    ).json()

    fees = fee(15_000) + fee(999) + fee(250_075)
    assert fees == 325 + 115 + 3851
    assert totals["sales_minor"] == sum(amounts)
    assert totals["fees_minor"] == fees
    assert totals["refunds_minor"] == 2_550
    assert totals["net_minor"] == sum(amounts) - fees - 2_550
    assert {key: balance[key] for key in totals} == totals


def test_an_unpaid_session_expires_and_takes_no_payment(sandbox, backend):
    sandbox.configure(session_lifetime=0)
    session = open_session(backend, active_account(sandbox, backend))
    wait_for(lambda: backend.get_payment_session(session.ref).status == "expired", timeout=5)

    page = requests.get(session.hosted_url, params={"lang": "en"}, timeout=5)
    attempt = requests.post(session.hosted_url, data={"method": SUCCEEDS}, timeout=5)

    assert "expired" in page.text and "<form" not in page.text
    assert attempt.status_code == 200 and "<form" not in attempt.text
    assert backend.get_payment_session(session.ref).payment_ref == ""
    assert ledger(sandbox)["lines"] == []


def test_with_a_state_file_sessions_keys_and_the_ledger_survive_a_restart(tmp_path):
    state = tmp_path / "sandbox.json"
    with running_sandbox(state_file=state) as sandbox:
        backend = HTTPPaymentsBackend(**sandbox.options())
        account = active_account(sandbox, backend)
        session = open_session(backend, account, idempotency_key="o-1", reference="o-1")
        pay(session, SUCCEEDS)
        before = ledger(sandbox)["accounts"]

    with running_sandbox(state_file=state) as restarted:
        backend = HTTPPaymentsBackend(**restarted.options())
        again = open_session(backend, account, idempotency_key="o-1", reference="o-1")

        assert again.ref == session.ref and again.status == "succeeded"
        assert ledger(restarted)["accounts"] == before
