"""The routes of the payments side: sessions, refunds, disputes, balances and their lines,
payouts, the ledger and the hosted page.

:mod:`.http` adds them to its route table. The hosted page (``/pay/...``) is neither the API nor
a sandbox control: it needs no key, suffers no fault and is not counted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from . import hosted_page
from .responses import Response

if TYPE_CHECKING:
    from .call import Call


def create_session(call: Call) -> Response:
    # The hosted page is served by this same server, at the address the caller reached.
    base_url = f"http://{call.headers.get('Host', '127.0.0.1')}"
    return call.sandbox.create_session(call.json(), call.headers.get("Idempotency-Key"), base_url)


def show_session(call: Call) -> Response:
    return call.sandbox.get_session(call.params["session_id"])


def create_refund(call: Call) -> Response:
    return call.sandbox.create_refund(call.json(), call.headers.get("Idempotency-Key"))


def show_refund(call: Call) -> Response:
    return call.sandbox.get_refund(call.params["refund_id"])


def show_balance(call: Call) -> Response:
    return call.sandbox.balance(call.params["account_id"], call.query)


def list_balance_transactions(call: Call) -> Response:
    return call.sandbox.balance_transactions(call.params["account_id"], call.query)


def run_payouts(call: Call) -> Response:
    return call.sandbox.run_payouts()


def show_ledger(call: Call) -> Response:
    return call.sandbox.show_ledger()


def show_dispute(call: Call) -> Response:
    return call.sandbox.get_dispute(call.params["dispute_id"])


def submit_evidence(call: Call) -> Response:
    return call.sandbox.submit_evidence(
        call.params["dispute_id"], call.json(), call.headers.get("Idempotency-Key")
    )


def open_dispute(call: Call) -> Response:
    return call.sandbox.open_dispute(call.json())


def close_dispute(call: Call) -> Response:
    return call.sandbox.close_dispute(call.params["dispute_id"], call.json())


PAYMENT_ROUTES: tuple[tuple[str, str, Callable[[Call], Response]], ...] = (
    ("POST", "/v1/payment_sessions", create_session),
    ("GET", "/v1/payment_sessions/{session_id}", show_session),
    ("POST", "/v1/refunds", create_refund),
    ("GET", "/v1/refunds/{refund_id}", show_refund),
    ("GET", "/v1/accounts/{account_id}/balance", show_balance),
    ("GET", "/v1/accounts/{account_id}/balance_transactions", list_balance_transactions),
    ("GET", "/v1/disputes/{dispute_id}", show_dispute),
    ("POST", "/v1/disputes/{dispute_id}/evidence", submit_evidence),
    ("POST", "/_sandbox/disputes", open_dispute),
    ("POST", "/_sandbox/disputes/{dispute_id}/close", close_dispute),
    ("GET", "/_sandbox/ledger", show_ledger),
    ("POST", "/_sandbox/payouts/run", run_payouts),
    ("GET", "/pay/{session_id}", hosted_page.show_page),
    ("POST", "/pay/{session_id}", hosted_page.pay),
    ("GET", "/pay/{session_id}/3ds", hosted_page.show_challenge),
    ("POST", "/pay/{session_id}/3ds", hosted_page.answer_challenge),
)
