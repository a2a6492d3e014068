"""The sandbox pays merchants out and lists their balance lines, a page at a time, over HTTP:
paid through the hosted page, refunded, paid out, and every line and total to the centime."""

from __future__ import annotations

import pytest
import requests

from onboarding.providers.base import ProviderRejected
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.worker import wait_for

from .payment_session_builders import (
    SUCCEEDS,
    active_account,
    ledger,
    open_session,
    pay,
    wait_for_refund,
)
from .sandbox_process import running_sandbox
from .test_payment_contract_schemas import Caller, contract  # noqa: F401  (a fixture)


def paid(backend: HTTPPaymentsBackend, account: str, amount: int) -> str:
    session = open_session(backend, account, amount_minor=amount)
    pay(session, SUCCEEDS)
    payment_ref = backend.get_payment_session(session.ref).payment_ref
    assert payment_ref
    return payment_ref


def test_a_payout_takes_the_net_and_every_line_is_listed_page_by_page(sandbox):
    sandbox.configure(refund_delay=0.05)
    backend = HTTPPaymentsBackend(**sandbox.options())
    account = active_account(sandbox, backend)
    other = active_account(sandbox, backend)
    first = paid(backend, account, 15_000)
    paid(backend, account, 8_050)
    paid(backend, other, 1_000)
    refund = backend.refund(payment_ref=first, amount_minor=2_500, idempotency_key="r-1")
    wait_for_refund(backend, refund.ref)

    payouts = {payout["account"]: payout for payout in sandbox.run_payouts()}

    # 150 + 80.50 MAD sold; fees 1.5 % + 1 MAD each (3.25 + 2.21); 25 MAD refunded.
    net = 15_000 + 8_050 - 325 - 221 - 2_500
    assert payouts[account]["amount_minor"] == net
    assert payouts[account]["status"] == "paid"
    assert payouts[other]["amount_minor"] == 1_000 - 115
    balance = backend.get_balance(account)
    assert (balance.sales_minor, balance.fees_minor, balance.refunds_minor) == (23_050, 546, 2_500)
    assert (balance.payouts_minor, balance.net_minor) == (net, 0)
    assert sandbox.run_payouts() == []  # nothing left to pay

    pages = []
    page = backend.list_balance_transactions(account, limit=2)
    pages.append(page)
    while page.has_more:
        page = backend.list_balance_transactions(account, limit=2, starting_after=page.next_cursor)
        pages.append(page)
    listed = [line for page in pages for line in page.transactions]
    mine = [line for line in ledger(sandbox)["lines"] if line["account"] == account]
    assert len(pages) == 3
    assert [line.ref for line in listed] == [line["id"] for line in mine]
    assert [line.type for line in listed] == ["sale", "fee", "sale", "fee", "refund", "payout"]
    assert [line.amount_minor for line in listed] == [line["amount_minor"] for line in mine]
    assert listed[-1].source == payouts[account]["id"]
    assert listed == backend.balance_transactions(account)
    assert sum(line.amount_minor for line in listed) == 0


def test_a_pending_refund_is_held_back_from_the_payout(sandbox):
    sandbox.configure(refund_delay=60)
    backend = HTTPPaymentsBackend(**sandbox.options())
    account = active_account(sandbox, backend)
    payment = paid(backend, account, 10_000)
    backend.refund(payment_ref=payment, amount_minor=4_000, idempotency_key="held")

    (payout,) = sandbox.run_payouts()

    assert payout["amount_minor"] == 10_000 - 250 - 4_000
    assert backend.get_balance(account).pending_refunds_minor == 4_000


def test_the_lines_of_a_period_only(sandbox):
    backend = HTTPPaymentsBackend(**sandbox.options())
    account = active_account(sandbox, backend)
    paid(backend, account, 10_000)
    created = backend.balance_transactions(account)[0].created

    assert len(backend.balance_transactions(account, since=created)) == 2
    assert backend.balance_transactions(account, until=created) == []


def test_bad_questions_get_clear_answers(sandbox):
    backend = HTTPPaymentsBackend(**sandbox.options())
    account = active_account(sandbox, backend)
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    path = f"{sandbox.url}/v1/accounts/{account}/balance_transactions"

    for query, param in (
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("from=yesterday", "from"),
        ("starting_after=ln_999999", "starting_after"),
    ):
        answer = requests.get(f"{path}?{query}", headers=headers, timeout=5)
        assert answer.status_code == 400, query
        assert answer.json()["error"]["param"] == param
    with pytest.raises(ProviderRejected):
        backend.list_balance_transactions("acct_unknown")
    with pytest.raises(ValueError):
        backend.list_balance_transactions(account, limit=500)


def test_the_sandbox_pays_out_on_its_own_schedule():
    with running_sandbox(activation_delay=0.2, payout_interval=0.3) as sandbox:
        backend = HTTPPaymentsBackend(**sandbox.options())
        account = active_account(sandbox, backend)
        paid(backend, account, 20_000)

        wait_for(
            lambda: backend.get_balance(account).payouts_minor == 20_000 - 400,
            timeout=10,
            what="the scheduled payout",
            every=0.1,
        )
        sandbox.reset()  # a reset keeps the schedule going
        account = active_account(sandbox, backend)
        paid(backend, account, 5_000)
        wait_for(
            lambda: backend.get_balance(account).net_minor == 0,
            timeout=10,
            what="the payout after a reset",
            every=0.1,
        )
        assert len([line for line in ledger(sandbox)["lines"] if line["type"] == "payout"]) == 1


def test_the_new_routes_answer_as_the_contract_says(contract, sandbox):  # noqa: F811
    sandbox.configure(refund_delay=0.05)
    backend = HTTPPaymentsBackend(**sandbox.options())
    account = active_account(sandbox, backend)
    paid(backend, account, 15_000)
    call = Caller(contract, sandbox)

    call("POST", "/_sandbox/payouts/run")
    template = "/v1/accounts/{account_id}/balance_transactions"
    listed = call("GET", template, account_id=account)
    call("GET", template, account_id="acct_unknown")
    call("GET", "/_sandbox/ledger")

    assert [line["type"] for line in listed["data"]] == ["sale", "fee", "payout"]
