"""docs/payments-contract.openapi.yaml documents exactly what the sandbox serves."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from onboarding.providers import signatures
from onboarding.sandbox import ROUTES, Config, Faults, empty_stats

from .sandbox_process import running_sandbox

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "payments-contract.openapi.yaml"


@pytest.fixture(scope="module")
def contract() -> dict[str, Any]:
    return yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs(value)]
    return []


def resolve(contract: dict[str, Any], ref: str) -> Any:
    node: Any = contract
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_contract_is_an_openapi_3_1_document(contract):
    assert contract["openapi"].startswith("3.1.")
    assert contract["info"]["title"]
    for ref in refs(contract):
        assert ref.startswith("#/"), ref
        assert resolve(contract, ref) is not None, ref


def test_every_route_the_sandbox_serves_is_documented_and_nothing_else(contract):
    documented = {
        (method.upper(), path)
        for path, operations in contract["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }

    assert documented == set(ROUTES)


def test_the_sandbox_answers_on_every_documented_route():
    with running_sandbox() as sandbox:
        for method, template in ROUTES:
            path = re.sub(r"\{\w+\}", "x_1", template)
            answer = requests.request(method, sandbox.url + path, json={}, timeout=5)
            is_json = answer.headers["Content-Type"] == "application/json"
            error = answer.json().get("error", {}) if is_json and answer.status_code >= 400 else {}

            assert answer.status_code != 405, (method, path)
            assert error.get("code") != "not_found", (method, path)


def test_the_documented_faults_config_and_stats_are_the_sandboxs(contract):
    schemas = contract["components"]["schemas"]

    assert set(schemas["Faults"]["properties"]) == {item.name for item in fields(Faults)}
    assert set(schemas["SandboxConfig"]["properties"]) == {item.name for item in fields(Config)} - {
        "api_key",
        "webhook_secret",
    }
    assert set(schemas["Stats"]["properties"]) == set(empty_stats()) | {"faults"}


def test_the_documented_webhook_headers_are_the_ones_the_backend_reads(contract):
    parameters = contract["components"]["parameters"]

    assert parameters["WebhookSignature"]["name"] == signatures.SIGNATURE_HEADER
    assert parameters["WebhookId"]["name"] == signatures.EVENT_ID_HEADER
