"""The sandbox's route table sends each method and path to one handler, or answers 404 or 405."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from onboarding.sandbox.http import ROUTE_TABLE, ROUTES, resolve
from onboarding.sandbox.responses import BadRequest


def refusal(method: str, path: str) -> tuple[int, str]:
    with pytest.raises(BadRequest) as refused:
        resolve(method, path)
    response = refused.value.response
    return response.status, response.body["error"]["code"]


def test_a_path_parameter_is_handed_to_the_handler_by_name():
    route, params = resolve("POST", "/_sandbox/accounts/acct_0a-Z9")

    assert route.template == "/_sandbox/accounts/{account_id}"
    assert params == {"account_id": "acct_0a-Z9"}


def test_the_same_path_goes_to_the_route_of_the_requests_method():
    shown, _ = resolve("GET", "/v1/accounts/acct_1")
    opened, _ = resolve("POST", "/v1/accounts")

    assert (shown.method, shown.template) == ("GET", "/v1/accounts/{account_id}")
    assert (opened.method, opened.template) == ("POST", "/v1/accounts")


def test_a_known_path_with_another_method_is_405():
    assert refusal("GET", "/v1/accounts") == (405, "not_found")
    assert refusal("POST", "/_sandbox/stats") == (405, "not_found")


def test_an_unknown_path_is_404():
    assert refusal("GET", "/v1/payouts") == (404, "not_found")
    assert refusal("GET", "/v1/accounts/") == (404, "not_found")


def test_a_path_parameter_never_spans_two_segments():
    assert refusal("GET", "/v1/accounts/acct_1/extra") == (404, "not_found")
    assert refusal("GET", "/v1/accounts/acct 1") == (404, "not_found")


def test_only_the_v1_routes_are_the_providers_api_and_the_contract_documents_each():
    provider_api = {route.template for route in ROUTE_TABLE if route.is_provider_api}
    contract = (Path(__file__).parents[2] / "docs/payments-contract.openapi.yaml").read_text()
    documented = set(re.findall(r"^  (/v1/[^:]*):$", contract, re.M))

    assert provider_api == documented
    assert {"/v1/accounts", "/v1/accounts/{account_id}"} <= provider_api


def test_no_two_routes_share_a_method_and_path():
    assert len(set(ROUTES)) == len(ROUTES) == len(ROUTE_TABLE)
