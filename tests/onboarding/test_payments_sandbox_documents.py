"""The sandbox takes a seller's documents and corrections over HTTP: checked, kept once per
idempotency key, and once the requirements are met the account is reviewed and activated, with a
signed webhook at each change."""

from __future__ import annotations

import base64
import json

import requests

from tests.worker import wait_for

from .sandbox_process import RunningSandbox, applicant


def call(
    sandbox: RunningSandbox, path: str, body: dict, key: str | None = "key-1"
) -> requests.Response:
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(sandbox.url + path, json=body, headers=headers, timeout=5)


def side(kind: str) -> dict:
    content = base64.b64encode(b"\xff\xd8" + kind.encode()).decode()
    return {
        "kind": kind,
        "requirement": "identity_document",
        "content_type": "image/jpeg",
        "content": content,
    }


def restricted_account(sandbox: RunningSandbox) -> str:
    opened = call(sandbox, "/v1/accounts", applicant(national_id="AB120000"), key="open-1").json()
    wait_for(
        lambda: sandbox.events()[-1]["status"] == "restricted",
        timeout=5,
        what="the account to be restricted",
    )
    return opened["id"]


def test_both_sides_of_the_id_card_take_a_restricted_account_to_active(sandbox):
    ref = restricted_account(sandbox)

    front = call(sandbox, f"/v1/accounts/{ref}/documents", side("identity_card_front"), "front")
    again = call(sandbox, f"/v1/accounts/{ref}/documents", side("identity_card_front"), "front")
    back = call(sandbox, f"/v1/accounts/{ref}/documents", side("identity_card_back"), "back")

    assert front.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == front.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "content" not in front.json()
    assert back.json()["account"] == ref
    wait_for(
        lambda: sandbox.events()[-1]["status"] == "active", timeout=5, what="the account to settle"
    )
    assert [event["status"] for event in sandbox.events()] == [
        "pending",
        "restricted",
        "pending",
        "active",
    ]


def test_a_document_that_is_not_one_is_refused_naming_the_field_and_nothing_changes(sandbox):
    ref = restricted_account(sandbox)

    no_key = call(sandbox, f"/v1/accounts/{ref}/documents", side("identity_card_front"), None)
    wrong_kind = call(
        sandbox, f"/v1/accounts/{ref}/documents", {**side("passport"), "kind": "passport"}
    )
    not_base64 = call(
        sandbox, f"/v1/accounts/{ref}/documents", {**side("identity_card_front"), "content": "%%"}
    )
    bad_rib = call(sandbox, f"/v1/accounts/{ref}", {"payout": {"type": "bank", "rib": "12"}}, "rib")

    assert no_key.status_code == 400
    assert (wrong_kind.status_code, wrong_kind.json()["error"]["param"]) == (422, "kind")
    assert (not_base64.status_code, not_base64.json()["error"]["param"]) == (422, "content")
    assert (bad_rib.status_code, bad_rib.json()["error"]["param"]) == (422, "payout.rib")
    assert "12" not in json.dumps(bad_rib.json())
    shown = requests.get(
        f"{sandbox.url}/v1/accounts/{ref}",
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        timeout=5,
    ).json()
    assert (shown["status"], shown["requirements"]) == ("restricted", ["identity_document"])
