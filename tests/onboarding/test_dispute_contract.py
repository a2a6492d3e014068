"""Disputes keep the contract: the sandbox's answers on the dispute routes and its dispute.*
webhooks match the OpenAPI schemas, a second answer is refused and a retry replayed; the
in-memory provider plays the same dispute (its webhook read as a PaymentEvent with its
dispute, its balance lines and totals)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from onboarding.providers.base import ProviderRejected
from onboarding.providers.fake import InMemoryPaymentsBackend
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.worker import wait_for

from .payment_session_builders import SUCCEEDS, active_account, open_session, pay
from .payments_builders import make_applicant
from .sandbox_process import running_sandbox
from .test_payment_contract_schemas import Caller, contract, schema_check
from .test_payments_webhook_delivery import Receiver

__all__ = ["contract"]  # the module's fixture, used here too


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_dispute_answers_and_webhooks_match_the_contract(contract, receiver) -> None:
    with running_sandbox(webhook_url=receiver.url, activation_delay=0.2) as sandbox:
        call = Caller(contract, sandbox)
        backend = HTTPPaymentsBackend(**sandbox.options())
        session = open_session(backend, active_account(sandbox, backend))
        pay(session, SUCCEEDS)
        opened = call("POST", "/_sandbox/disputes", {"session": session.ref, "reason": "other"})
        call("POST", "/_sandbox/disputes", {"session": session.ref})  # 409: disputed already
        call("GET", "/v1/disputes/{dispute_id}", dispute_id=opened["id"])
        call("GET", "/v1/disputes/{dispute_id}", dispute_id="dp_unknown")
        evidence = {"text": "Shipped with Amana, signed on delivery."}
        path = "/v1/disputes/{dispute_id}/evidence"
        answered = call("POST", path, evidence, dispute_id=opened["id"], key="e-1")
        call("POST", path, evidence, dispute_id=opened["id"], key="e-1")  # a replay
        call("POST", path, {"text": "other"}, dispute_id=opened["id"], key="e-1")  # 409
        call("POST", path, {"text": "again"}, dispute_id=opened["id"], key="e-2")  # 422
        closed = call(
            "POST",
            "/_sandbox/disputes/{dispute_id}/close",
            {"outcome": "won"},
            dispute_id=opened["id"],
        )
        call("GET", "/v1/accounts/{account_id}/balance_transactions", account_id=opened["account"])
        call("GET", "/v1/accounts/{account_id}/balance", account_id=opened["account"])
        call("GET", "/_sandbox/ledger")

        assert (opened["status"], answered["status"], closed["status"]) == (
            "needs_response",
            "under_review",
            "won",
        )
        assert {status for _, _, status in call.checked} >= {200, 201, 404, 409, 422}
        dispute = backend.get_dispute(opened["id"])
        assert (dispute.status, dispute.evidence) == ("won", evidence["text"])
        wait_for(
            lambda: len([b for b in receiver.bodies() if b["type"].startswith("dispute.")]) >= 3,
            timeout=10,
            what="the dispute webhooks",
        )
    sent = [body for body in receiver.bodies() if body["type"].startswith("dispute.")]
    assert [body["type"] for body in sent] == [
        "dispute.created",
        "dispute.updated",
        "dispute.closed",
    ]
    for body in sent:
        problems = schema_check(contract, {"$ref": "#/components/schemas/DisputeEvent"}, body)
        assert not problems, json.dumps(body)


def test_the_in_memory_provider_plays_the_same_dispute() -> None:
    backend = InMemoryPaymentsBackend(name="disputes-contract", webhook_secrets=["whsec_test"])
    account = backend.open_account(make_applicant(), "disputes-account")
    backend.set_account(account.ref, "active")
    session = open_session(backend, account.ref)  # type: ignore[arg-type]
    backend.pay(session.ref)
    payment_ref = backend.get_payment_session(session.ref).payment_ref

    created = backend.open_dispute(payment_ref, "duplicate")
    event = backend.parse_payment_webhook(created.body, created.headers)
    assert (event.type, event.payment_ref, event.session_ref) == (
        "dispute.created",
        payment_ref,
        session.ref,
    )
    dispute = backend.get_dispute(event.dispute_ref)
    assert (dispute.status, dispute.reason, dispute.amount_minor) == (
        "needs_response",
        "duplicate",
        15_000,
    )
    assert dispute.evidence_due_by > datetime.now(UTC)
    answered = backend.submit_dispute_evidence(dispute.ref, "Paid once.", "key-1")
    assert backend.submit_dispute_evidence(dispute.ref, "Paid once.", "key-1") == answered
    with pytest.raises(ProviderRejected):
        backend.submit_dispute_evidence(dispute.ref, "Paid once, really.", "key-2")
    closed = backend.close_dispute(dispute.ref, "won")
    assert backend.parse_payment_webhook(closed.body, closed.headers).status == "won"

    kinds = [(line.type, line.amount_minor) for line in backend.balance_transactions(account.ref)]
    assert kinds == [
        ("sale", 15_000),
        ("fee", -325),
        ("dispute", -15_000),
        ("dispute_reversal", 15_000),
    ]
    balance = backend.get_balance(account.ref)
    assert (balance.disputes_minor, balance.net_minor) == (0, 15_000 - 325)
