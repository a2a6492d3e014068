"""The sandbox's own contract: idempotency rules, magic values, per-call faults, state file."""

from __future__ import annotations

import pytest
import requests

from tests.worker import wait_for

from .sandbox_process import RunningSandbox, applicant, running_sandbox


def post_account(sandbox: RunningSandbox, body=None, key: str | None = "key-1", **headers):
    headers = {"Authorization": f"Bearer {sandbox.api_key}", **headers}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(
        f"{sandbox.url}/v1/accounts", json=body or applicant(), headers=headers, timeout=5
    )


def get_account(sandbox: RunningSandbox, ref: str) -> requests.Response:
    return requests.get(
        f"{sandbox.url}/v1/accounts/{ref}",
        headers={"Authorization": f"Bearer {sandbox.api_key}"},
        timeout=5,
    )


def status_of(sandbox: RunningSandbox, ref: str) -> str:
    return get_account(sandbox, ref).json()["status"]


def once_settled(sandbox: RunningSandbox, ref: str) -> dict:
    """The account ``ref`` once the sandbox has settled it, if it was going to.

    The sandbox settles accounts in the order they fall due, so when an ordinary account opened
    after this one is active, this one has had its turn, even if its turn changed nothing.
    """
    later = post_account(sandbox, key=f"opened-after-{ref}").json()["id"]
    wait_for(lambda: status_of(sandbox, later) == "active", timeout=10, what="a later account")
    return get_account(sandbox, ref).json()


def test_a_new_account_answers_201_and_a_replay_200_marked_as_replayed(sandbox):
    first = post_account(sandbox)
    replay = post_account(sandbox)

    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert replay.status_code == 200
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]


def test_a_request_without_an_idempotency_key_is_refused(sandbox):
    answer = post_account(sandbox, key=None)

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "idempotency_key_missing"
    assert sandbox.stats()["accounts_created"] == 0


def test_accounts_never_echo_personal_data(sandbox):
    account = post_account(sandbox).json()

    assert applicant()["national_id"] not in str(account)
    assert applicant()["phone"] not in str(account)


@pytest.mark.parametrize(
    ("national_id", "status", "requirements"),
    [
        ("AB120000", "restricted", ["identity_document"]),
        ("AB129999", "rejected", []),
        ("AB121111", "pending", []),
        ("AB123456", "active", []),
    ],
)
def test_the_national_id_ending_chooses_where_a_new_account_ends_up(
    sandbox, national_id, status, requirements
):
    ref = post_account(sandbox, applicant(national_id=national_id)).json()["id"]

    account = once_settled(sandbox, ref)

    assert (account["status"], account["requirements"]) == (status, requirements)


def test_an_unknown_account_is_404(sandbox):
    answer = get_account(sandbox, "acct_unknown")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "resource_missing"


def test_a_fault_header_fails_that_one_call_only(sandbox):
    failed = post_account(sandbox, key="key-2", **{"Sandbox-Fault": "fail=502"})
    worked = post_account(sandbox, key="key-2")

    assert (failed.status_code, worked.status_code) == (502, 201)
    assert sandbox.stats()["accounts_created"] == 1


def test_an_unknown_fault_is_refused_with_the_known_ones(sandbox):
    answer = requests.post(f"{sandbox.url}/_sandbox/faults", json={"explode": True}, timeout=5)

    assert answer.status_code == 400
    assert "timeout_next" in answer.json()["error"]["message"]


def test_a_reset_forgets_accounts_keys_faults_and_counts(sandbox):
    ref = post_account(sandbox).json()["id"]
    sandbox.faults(latency_ms=100)

    sandbox.reset()

    assert get_account(sandbox, ref).status_code == 404
    stats = sandbox.stats()
    assert (stats["accounts_created"], stats["requests"], stats["faults"]["latency_ms"]) == (
        0,
        1,
        0,
    )


def test_with_a_state_file_accounts_and_keys_survive_a_restart(tmp_path):
    state = tmp_path / "sandbox.json"
    with running_sandbox(state_file=state, activation_delay=0.1) as sandbox:
        ref = post_account(sandbox, key="key-3").json()["id"]
        wait_for(lambda: status_of(sandbox, ref) == "active", timeout=10, what="the account")

    with running_sandbox(state_file=state) as restarted:
        replay = post_account(restarted, key="key-3")
        account = get_account(restarted, ref).json()
        stats = restarted.stats()

    assert replay.json()["id"] == ref
    assert account["status"] == "active"
    assert (stats["accounts_created"], stats["accounts_by_case"]) == (1, {"1": 1})


def test_api_calls_need_the_api_key(sandbox):
    answer = requests.get(f"{sandbox.url}/v1/accounts/acct_x", timeout=5)

    assert answer.status_code == 401
    assert answer.json()["error"]["type"] == "authentication_error"
