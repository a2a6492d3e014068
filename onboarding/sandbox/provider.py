"""The sandbox provider: accounts, idempotency keys, faults, config and counts behind one lock.

Independent of HTTP: :mod:`.http` turns each request into one of these calls. Account rules live
in :mod:`.domain`; this module keeps the state, settles accounts on time and persists them.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, replace
from typing import Any

from .config import SECRET_SETTINGS, Config, apply_changes
from .disputes import Disputes
from .documents import Replay, Requirements
from .domain import (
    PENDING,
    Account,
    AccountRecord,
    IdempotencyRecord,
    fingerprint,
    new_account,
    set_status,
    validate_applicant,
    validate_move,
)
from .faults import Faults, InjectedFault, consume_faults
from .payment_sessions import PaymentSessions
from .payouts import Payouts
from .responses import Response, error
from .scheduler import Scheduler
from .stats import Stats, count, empty_stats
from .webhooks import Webhooks


class Sandbox(PaymentSessions, Payouts, Requirements, Disputes):
    """The provider's state and behaviour; every read and write of the state holds ``lock``.

    What a seller sends when asked for more (documents, corrections) is :class:`Requirements`;
    payment sessions, payments, refunds and the ledger are :class:`PaymentSessions`; payouts
    and the balance transaction list are :class:`Payouts`; disputes are :class:`Disputes`.
    """

    faults: Faults
    accounts: dict[str, AccountRecord]
    idempotency: dict[str, IdempotencyRecord]
    received: dict[str, list[str]]
    replays: dict[str, Replay]
    stats: Stats

    def __init__(self, config: Config, state_file: str | None = None) -> None:
        self.lock = threading.RLock()
        self.startup_config = replace(config)
        self.config = config
        self.state_file = state_file
        self.scheduler = Scheduler()
        self.webhooks = Webhooks(self)
        self.generation = 0
        self._reset_state()
        if state_file and os.path.exists(state_file):
            self._load(state_file)
        self.scheduler.start()
        self.schedule_payouts()

    def _reset_state(self) -> None:
        self.faults = Faults()
        self.accounts = {}
        self.idempotency = {}
        self.received = {}
        self.replays = {}
        self.reset_payments()
        self.webhooks.forget()
        self.stats = empty_stats()
        # Work scheduled before a reset must not act on the state after it.
        self.generation += 1

    # Persistence ---------------------------------------------------------------------------

    def _load(self, state_file: str) -> None:
        with open(state_file, encoding="utf-8") as file:
            saved = json.load(file)
        self.accounts = saved.get("accounts", {})
        self.idempotency = saved.get("idempotency", {})
        self.received = saved.get("received", {})
        self.replays = saved.get("replays", {})
        self.load_payments(saved)
        self.stats["accounts_by_case"] = saved.get("accounts_by_case", {})
        self.stats["accounts_created"] = len(self.accounts)
        for account_id, record in self.accounts.items():
            if record["account"]["status"] == PENDING and record["outcome"]:
                self.scheduler.call_later(
                    self.config.activation_delay, self._settle, account_id, self.generation
                )

    def _save(self) -> None:
        if not self.state_file:
            return
        saved = {
            "accounts": self.accounts,
            "idempotency": self.idempotency,
            "received": self.received,
            "replays": self.replays,
            "accounts_by_case": self.stats["accounts_by_case"],
            **self.payments_state(),
        }
        temporary = f"{self.state_file}.tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(saved, file)
        os.replace(temporary, self.state_file)

    # Accounts ------------------------------------------------------------------------------

    def create_account(self, applicant: Any, idempotency_key: str | None) -> Response:
        if not idempotency_key:
            return error(
                400,
                "idempotency_key_missing",
                "Send an Idempotency-Key header: the same key on every retry of one request.",
            )
        if len(idempotency_key) > 255:
            return error(
                400, "idempotency_key_invalid", "Idempotency-Key is at most 255 characters."
            )
        validate_applicant(applicant)
        body_fingerprint = fingerprint(applicant)
        with self.lock:
            record = self.idempotency.get(idempotency_key)
            if record is not None:
                return self._replay(record, body_fingerprint)
            self.idempotency[idempotency_key] = {
                "fingerprint": body_fingerprint,
                "account_id": None,
            }
            latency = self.faults.latency_ms
        # A slow provider is slow while it works, so a concurrent retry sees "in progress".
        time.sleep(latency / 1000)
        with self.lock:
            if idempotency_key not in self.idempotency:  # reset while we slept
                self.idempotency[idempotency_key] = {
                    "fingerprint": body_fingerprint,
                    "account_id": None,
                }
            account = self._open(applicant)
            self.idempotency[idempotency_key]["account_id"] = account["id"]
            self._save()
            return Response(201, account.copy())

    def _replay(self, record: IdempotencyRecord, body_fingerprint: str) -> Response:
        if record["fingerprint"] != body_fingerprint:
            return error(
                409,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different body.",
            )
        if record["account_id"] is None:
            return error(
                409,
                "idempotency_key_in_progress",
                "A request with this Idempotency-Key is still being processed; retry later.",
            )
        self.stats["idempotent_replays"] += 1
        account = self.accounts[record["account_id"]]["account"]
        return Response(200, account.copy(), {"Idempotent-Replayed": "true"})

    def _open(self, applicant: dict[str, Any]) -> Account:
        record = new_account(applicant)
        account = record["account"]
        self.accounts[account["id"]] = record
        self.stats["accounts_created"] += 1
        count(self.stats["accounts_by_case"], account["metadata"].get("case_id", ""))
        self.webhooks.emit(account)
        if record["outcome"]:
            self.scheduler.call_later(
                self.config.activation_delay, self._settle, account["id"], self.generation
            )
        return account

    def get_account(self, account_id: str) -> Response:
        with self.lock:
            latency = self.faults.latency_ms
        time.sleep(latency / 1000)
        with self.lock:
            record = self.accounts.get(account_id)
            if record is None:
                return error(404, "resource_missing", f"No such account: {account_id}")
            return Response(200, record["account"].copy())

    def update_account(self, account_id: str, changes: Any) -> Response:
        """Move an account by hand, as the provider's back office would (sends a webhook)."""
        move = validate_move(changes)
        with self.lock:
            record = self.accounts.get(account_id)
            if record is None:
                return error(404, "resource_missing", f"No such account: {account_id}")
            self._move(record, move["status"], move["requirements"])
            record["outcome"] = None  # a hand-made change wins over the scheduled one
            self._save()
            self.webhooks.emit(record["account"])
            return Response(200, record["account"].copy())

    def _settle(self, account_id: str, generation: int) -> None:
        with self.lock:
            record = self.accounts.get(account_id)
            if generation != self.generation or record is None or not record["outcome"]:
                return
            if record["account"]["status"] != PENDING:
                return
            self._move(record, record["outcome"], list(record["outcome_requirements"]))
            self._save()
            self.webhooks.emit(record["account"])

    @staticmethod
    def _move(record: AccountRecord, status: str, requirements: list[str]) -> None:
        account = record["account"]
        set_status(account, status)
        account["requirements"] = requirements
        account["updated"] = int(time.time())

    # Control -------------------------------------------------------------------------------

    def count_request(self, route: str) -> None:
        with self.lock:
            self.stats["requests"] += 1
            count(self.stats["requests_by_route"], route)

    def take_fault(self, per_call: str | None) -> InjectedFault:
        """Consume the faults for one API call, with the call's own ``Sandbox-Fault`` header."""
        with self.lock:
            fault = consume_faults(self.faults, per_call)
            if fault:
                self.stats["faults_injected"] += 1
        return fault

    def set_faults(self, changes: Any) -> Response:
        with self.lock:
            updated = apply_changes(self.faults, changes)
            if isinstance(updated, Response):
                return updated
            self.faults = updated
            return Response(200, asdict(self.faults))

    def set_config(self, changes: Any) -> Response:
        with self.lock:
            updated = apply_changes(self.config, changes)
            if isinstance(updated, Response):
                return updated
            self.config = updated
            public = asdict(self.config)
            for name in SECRET_SETTINGS:
                public.pop(name)
            return Response(200, public)

    def reset(self) -> Response:
        with self.lock:
            self.scheduler.clear()
            self._reset_state()
            self.config = replace(self.startup_config)
            self.schedule_payouts()  # the reset cleared the queued run
            self._save()
        return Response(200, {"reset": True})

    def snapshot_stats(self) -> Response:
        with self.lock:
            stats = json.loads(json.dumps(self.stats))
            stats["faults"] = asdict(self.faults)
            return Response(200, stats)

    def list_events(self) -> Response:
        with self.lock:
            return Response(200, {"events": list(self.webhooks.events)})
