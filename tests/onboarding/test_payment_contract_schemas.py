"""The contract is a valid OpenAPI 3.1 document, and what the sandbox answers on the payments
routes, and the payment webhooks it sends, match the contract's schemas."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from onboarding.providers.payments import HTTPPaymentsBackend
from tests.worker import wait_for

from .payment_session_builders import RETURN_URL, SUCCEEDS, active_account, pay
from .sandbox_process import RunningSandbox, running_sandbox
from .test_payments_webhook_delivery import Receiver

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "payments-contract.openapi.yaml"


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def schema_check(contract: dict[str, Any], schema: dict[str, Any], body: Any) -> list[str]:
    validator = OAS31Validator({**schema, "components": contract["components"]})
    return [f"{list(error.path)}: {error.message}" for error in validator.iter_errors(body)]


class Caller:
    """Calls the sandbox and checks each answer against the contract's schema for its route."""

    def __init__(self, contract: dict[str, Any], sandbox: RunningSandbox) -> None:
        self.contract, self.sandbox = contract, sandbox
        self.checked: list[tuple[str, str, int]] = []

    def __call__(self, method: str, template: str, body: Any = None, **params: str) -> Any:
        path = re.sub(r"\{(\w+)\}", lambda found: params[found.group(1)], template)
        headers = {"Authorization": f"Bearer {self.sandbox.api_key}"}
        if method == "POST" and template.startswith("/v1/"):
            headers["Idempotency-Key"] = params.get("key", "key-1")
        answer = requests.request(
            method, self.sandbox.url + path, json=body, headers=headers, timeout=5
        )
        responses = self.contract["paths"][template][method.lower()]["responses"]
        documented = (
            responses.get(str(answer.status_code)) or responses[f"{answer.status_code // 100}XX"]
        )
        if "$ref" in documented:
            documented = self.contract["components"]["responses"][documented["$ref"].split("/")[-1]]
        schema = documented["content"]["application/json"]["schema"]
        problems = schema_check(self.contract, schema, answer.json())
        assert not problems, (method, template, answer.status_code, problems)
        self.checked.append((method, template, answer.status_code))
        return answer.json()


def test_the_contract_validates_as_openapi_3_1(contract):
    validate(contract)


def test_the_payments_answers_and_webhooks_match_the_contract(contract, receiver):
    with running_sandbox(webhook_url=receiver.url, activation_delay=0.2) as sandbox:
        sandbox.configure(refund_delay=0.05)
        call = Caller(contract, sandbox)
        account = active_account(sandbox, HTTPPaymentsBackend(**sandbox.options()))
        request = {
            "account": account,
            "amount_minor": 15_000,
            "currency": "MAD",
            "reference": "order-1",
            "description": "Tajine",
            "return_url": RETURN_URL,
            "cancel_url": RETURN_URL,
            "buyer_phone": "+212612345678",
        }
        session = call("POST", "/v1/payment_sessions", request, key="s-1")
        call("POST", "/v1/payment_sessions", request, key="s-1")
        call("POST", "/v1/payment_sessions", {**request, "amount_minor": 15_001}, key="s-1")
        call("POST", "/v1/payment_sessions", {**request, "amount_minor": 1}, key="s-2")
        call("GET", "/v1/payment_sessions/{session_id}", session_id="ps_unknown")
        backend = HTTPPaymentsBackend(**sandbox.options())
        pay(backend.get_payment_session(session["id"]), SUCCEEDS)
        paid = call("GET", "/v1/payment_sessions/{session_id}", session_id=session["id"])
        refund_request = {"payment": paid["payment_id"], "amount_minor": 5_000}
        refund = call("POST", "/v1/refunds", refund_request, key="r-1")
        call("POST", "/v1/refunds", {**refund_request, "amount_minor": 10_001}, key="r-2")
        wait_for(
            lambda: (
                call("GET", "/v1/refunds/{refund_id}", refund_id=refund["id"])["status"]
                == "succeeded"
            ),
            timeout=10,
            what="the refund to settle",
            every=0.05,
        )
        call("GET", "/v1/accounts/{account_id}/balance", account_id=account)
        call("GET", "/_sandbox/ledger")
        events = call("GET", "/_sandbox/events")["events"]
        call("GET", "/_sandbox/stats")

        assert {"payment.succeeded", "refund.succeeded"} <= {event["type"] for event in events}
        assert {status for _, _, status in call.checked} >= {200, 201, 404, 409, 422}
        schemas = {"payment.succeeded": "PaymentEvent", "refund.succeeded": "RefundEvent"}
        wait_for(lambda: len(receiver.bodies()) >= 4, timeout=10, what="the webhooks")
        sent = [body for body in receiver.bodies() if body["type"] in schemas]
        assert len(sent) == 2
        for body in sent:
            schema = {"$ref": f"#/components/schemas/{schemas[body['type']]}"}
            assert not schema_check(contract, schema, body), json.dumps(body)
