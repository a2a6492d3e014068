"""Accounts seeded into a sandbox state file are known, active, to the sandbox process that
starts from it: it takes payment sessions for them, keeps what the file held before, and a
second seeding changes nothing."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from onboarding.providers.payments import HTTPPaymentsBackend
from onboarding.sandbox.seeding import SeededAccount, seed_active_accounts

from .payment_session_builders import SUCCEEDS, ledger, open_session, pay
from .payments_builders import make_applicant
from .sandbox_process import running_sandbox

LATIFA = SeededAccount("acct_0123456789abcdef", "Tapis Latifa", {"case_id": "41"})
OMAR = SeededAccount("acct_fedcba9876543210", "Bois Omar", {"case_id": "42"})


def test_a_seeded_account_takes_payments_at_the_sandbox_that_starts_from_the_file(tmp_path):
    state_file = tmp_path / "payments-sandbox.json"

    assert seed_active_accounts(state_file, [LATIFA, OMAR]) == 2

    with running_sandbox(state_file=state_file) as sandbox:
        backend = HTTPPaymentsBackend(**sandbox.options())
        account = backend.get_account(LATIFA.ref)
        assert (account.ref, account.status) == (LATIFA.ref, "active")
        assert account.merchant_qr is not None
        assert account.raw["business_name"] == "Tapis Latifa"
        session = open_session(backend, LATIFA.ref)
        assert session.status == "open"
        pay(session, SUCCEEDS)
        assert [line["type"] for line in ledger(sandbox)["lines"]] == ["sale", "fee"]
        assert open_session(backend, OMAR.ref).status == "open"
        assert sandbox.stats()["accounts_created"] == 2


def test_seeding_keeps_what_the_sandbox_saved_and_twice_gives_the_same_file(tmp_path):
    state_file = tmp_path / "payments-sandbox.json"
    with running_sandbox(state_file=state_file) as sandbox:
        backend = HTTPPaymentsBackend(**sandbox.options())
        opened = backend.open_account(make_applicant(), f"account-{uuid.uuid4().hex}")

    seed_active_accounts(state_file, [LATIFA])
    first = state_file.read_bytes()
    assert seed_active_accounts(state_file, [LATIFA]) == 0
    assert state_file.read_bytes() == first
    assert sorted(json.loads(first)["accounts"]) == sorted([opened.ref, LATIFA.ref])
    assert json.loads(first)["accounts_by_case"]["41"] == 1
    assert [path.name for path in tmp_path.iterdir()] == [state_file.name]  # no temporary left

    with running_sandbox(state_file=state_file) as sandbox:
        backend = HTTPPaymentsBackend(**sandbox.options())
        assert backend.get_account(opened.ref).ref == opened.ref
        assert open_session(backend, LATIFA.ref).status == "open"


def test_an_account_the_file_holds_but_not_active_is_made_active(tmp_path):
    state_file = tmp_path / "payments-sandbox.json"
    seed_active_accounts(state_file, [LATIFA])
    saved = json.loads(state_file.read_text())
    saved["accounts"][LATIFA.ref]["account"]["status"] = "restricted"
    state_file.write_text(json.dumps(saved))

    assert seed_active_accounts(state_file, [LATIFA]) == 1

    again = json.loads(state_file.read_text())
    assert again["accounts"][LATIFA.ref]["account"]["status"] == "active"
    assert again["accounts_by_case"] == {"41": 1}  # still one account for the case


def test_a_file_that_is_not_a_state_file_is_refused_and_left_as_it_is(tmp_path: Path):
    state_file = tmp_path / "payments-sandbox.json"
    state_file.write_text("[]")

    with pytest.raises(ValueError, match="not a payments sandbox state file"):
        seed_active_accounts(state_file, [LATIFA])
    assert state_file.read_text() == "[]"
