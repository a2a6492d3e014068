"""Both payment backends that ship take payments by the same contract: the HTTP client against the
sandbox process, and the in-memory backend the demo and tests use."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from onboarding.providers.base import ProviderRejected
from onboarding.providers.fake import InMemoryPaymentsBackend
from onboarding.providers.payment_sessions import PaymentSession, TakesPayments
from onboarding.providers.payments import HTTPPaymentsBackend

from .payment_session_builders import (
    DECLINED,
    SECURE,
    SUCCEEDS,
    active_account,
    open_session,
    pay,
    wait_for_refund,
)
from .payments_builders import make_applicant
from .sandbox_process import running_sandbox


@dataclass
class Subject:
    backend: TakesPayments
    account: Callable[[str], str]  # a new account with this status
    pay: Callable[[PaymentSession, str, str], None]
    settle: Callable[[str], None]  # a refund, by reference
    pay_out: Callable[[], None]  # every merchant's available balance, as the schedule would


def http_subject() -> Iterator[Subject]:
    with running_sandbox(activation_delay=0.2) as sandbox:
        sandbox.configure(refund_delay=0.05)
        backend = HTTPPaymentsBackend(**sandbox.options())

        def account(status: str) -> str:
            ref = active_account(sandbox, backend)
            sandbox.set_account(ref, status)
            return ref

        yield Subject(
            backend,
            account,
            lambda session, method, code: (pay(session, method, code), None)[1],
            lambda ref: wait_for_refund(backend, ref),
            lambda: (sandbox.run_payouts(), None)[1],
        )


def fake_subject() -> Iterator[Subject]:
    backend = InMemoryPaymentsBackend(name=f"contract-{uuid.uuid4().hex}")

    opened: list[str] = []

    def account(status: str) -> str:
        ref = backend.open_account(make_applicant(), uuid.uuid4().hex).ref
        backend.set_account(ref, status)
        opened.append(ref)
        return ref

    yield Subject(
        backend,
        account,
        lambda session, method, code: (backend.pay(session.ref, method, code), None)[1],
        lambda ref: (backend.settle_refund(ref), None)[1],
        lambda: [backend.pay_out(ref) for ref in opened],
    )


@pytest.fixture(params=["http", "fake"], scope="module")
def subject(request: pytest.FixtureRequest) -> Iterator[Subject]:
    yield from {"http": http_subject, "fake": fake_subject}[request.param]()


def test_a_key_opens_one_session_and_another_body_is_refused(subject):
    account = subject.account("active")

    first = open_session(subject.backend, account, idempotency_key="k-1", reference="o-1")
    again = open_session(subject.backend, account, idempotency_key="k-1", reference="o-1")

    assert again.ref == first.ref
    assert (first.status, first.fee_minor, first.payment_ref) == ("open", 325, "")
    with pytest.raises(ProviderRejected, match="idempotency_key_reused"):
        open_session(subject.backend, account, idempotency_key="k-1", reference="o-2")


@pytest.mark.parametrize("status", ["closed", "restricted", "pending"])
def test_only_an_active_account_takes_payments(subject, status):
    with pytest.raises(ProviderRejected, match="account_not_active"):
        open_session(subject.backend, subject.account(status))


@pytest.mark.parametrize(
    ("method", "code", "status"),
    [(SUCCEEDS, "", "succeeded"), (DECLINED, "", "failed"), (SECURE, "123456", "succeeded")],
)
def test_the_test_methods_end_the_session(subject, method, code, status):
    session = open_session(subject.backend, subject.account("active"))

    subject.pay(session, method, code)

    ended = subject.backend.get_payment_session(session.ref)
    assert ended.status == status and ended.payment_ref


def test_refunds_settle_and_never_exceed_the_payment(subject):
    session = open_session(subject.backend, subject.account("active"), amount_minor=1_000)
    subject.pay(session, SUCCEEDS, "")
    payment = subject.backend.get_payment_session(session.ref).payment_ref

    refund = subject.backend.refund(payment_ref=payment, amount_minor=600, idempotency_key="r-1")
    with pytest.raises(ProviderRejected, match="amount_too_large"):
        subject.backend.refund(payment_ref=payment, amount_minor=401, idempotency_key="r-2")
    subject.settle(refund.ref)

    assert refund.status == "pending"
    assert subject.backend.get_refund(refund.ref).status == "succeeded"


def test_the_fakes_webhooks_are_signed_payment_events():
    backend = InMemoryPaymentsBackend(name=f"contract-{uuid.uuid4().hex}")
    account = backend.open_account(make_applicant(), "a-1").ref
    backend.set_account(account, "active")
    session = open_session(backend, account, reference="order-3")

    webhook = backend.pay(session.ref, DECLINED)
    event = backend.parse_payment_webhook(webhook.body, webhook.headers)

    assert (event.type, event.session_ref, event.reference) == (
        "payment.failed",
        session.ref,
        "order-3",
    )
    assert event.failure_code == "card_declined"


def test_the_balance_adds_sales_fees_and_refunds_for_a_period(subject):
    account = subject.account("active")
    session = open_session(subject.backend, account, amount_minor=15_000)
    subject.pay(session, SUCCEEDS, "")
    payment = subject.backend.get_payment_session(session.ref).payment_ref
    refund = subject.backend.refund(payment_ref=payment, amount_minor=2_000, idempotency_key="r")
    subject.settle(refund.ref)
    now = datetime.now(tz=UTC)

    balance = subject.backend.get_balance(account)
    this_hour = subject.backend.get_balance(account, now - timedelta(hours=1), now + timedelta(1))
    tomorrow = subject.backend.get_balance(account, now + timedelta(days=1))

    amounts = (balance.sales_minor, balance.fees_minor, balance.refunds_minor, balance.net_minor)
    assert amounts == (15_000, 325, 2_000, 15_000 - 325 - 2_000)
    assert this_hour == balance
    assert (tomorrow.sales_minor, tomorrow.net_minor) == (0, 0)


def test_the_balance_lines_come_page_by_page_oldest_first(subject):
    account = subject.account("active")
    for amount in (10_000, 20_000):
        session = open_session(subject.backend, account, amount_minor=amount)
        subject.pay(session, SUCCEEDS, "")

    first = subject.backend.list_balance_transactions(account, limit=3)
    rest = subject.backend.list_balance_transactions(account, starting_after=first.next_cursor)
    every = subject.backend.balance_transactions(account)

    assert (len(first.transactions), first.has_more, rest.has_more) == (3, True, False)
    assert every == first.transactions + rest.transactions
    assert [(line.type, line.amount_minor) for line in every] == [
        ("sale", 10_000),
        ("fee", -250),
        ("sale", 20_000),
        ("fee", -400),
    ]
    assert (
        sum(line.amount_minor for line in every) == subject.backend.get_balance(account).net_minor
    )


def test_a_payout_takes_what_is_available_and_never_the_refunded_part(subject):
    account = subject.account("active")
    session = open_session(subject.backend, account, amount_minor=10_000)
    subject.pay(session, SUCCEEDS, "")
    payment = subject.backend.get_payment_session(session.ref).payment_ref
    refund = subject.backend.refund(
        payment_ref=payment, amount_minor=3_000, idempotency_key=uuid.uuid4().hex
    )

    subject.pay_out()  # the refund held (pending) or taken (settled): the same payout
    subject.pay_out()  # nothing more to pay
    subject.settle(refund.ref)

    balance = subject.backend.get_balance(account)
    assert (balance.payouts_minor, balance.refunds_minor) == (10_000 - 250 - 3_000, 3_000)
    assert balance.net_minor == 0
    payouts = [
        line for line in subject.backend.balance_transactions(account) if line.type == "payout"
    ]
    assert [line.amount_minor for line in payouts] == [-(10_000 - 250 - 3_000)]
