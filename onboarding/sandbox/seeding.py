"""Active merchant accounts written into a sandbox state file before the sandbox starts.

The demo builds its live sellers with the in-memory provider, which gives their accounts
references of its own; the sandbox that ``make run`` starts must know those same references, or a
buyer's payment session for one of their products is refused ("No such merchant account").
:func:`seed_active_accounts` adds them to the state file that the sandbox reads when it starts
(:meth:`.provider.Sandbox._load`), built by the sandbox's own :func:`.domain.account_record`.

Write the file while the sandbox is stopped: a running sandbox keeps its state in memory and
rewrites the whole file at its next change, which would drop the seeded accounts. ``make run``
loads the demo before it starts the sandbox.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .domain import ACTIVE, account_record, set_status
from .stats import count


@dataclass(frozen=True)
class SeededAccount:
    """An account to make active under a reference chosen elsewhere."""

    ref: str  # "acct_..." as the case's payment_account_ref holds it
    business_name: str
    metadata: dict[str, str] = field(default_factory=dict)  # e.g. {"case_id": "..."}
    payout_type: str = "wallet"


def seed_active_accounts(
    state_file: str | os.PathLike[str], accounts: Iterable[SeededAccount]
) -> int:
    """Make each account exist, active, in ``state_file``; returns how many were written.

    Everything else the file holds (other accounts, payments, idempotency keys) is kept, and an
    account that is already active there is left as it is, so seeding twice gives the same file.
    The file is replaced in one step, as the sandbox saves it: a reader never sees half of it.
    """
    path = os.fspath(state_file)
    saved = _read(path)
    records = saved.setdefault("accounts", {})
    by_case = saved.setdefault("accounts_by_case", {})
    written = 0
    for seeded in accounts:
        known = records.get(seeded.ref)
        if known is not None and known["account"]["status"] == ACTIVE:
            continue
        record = account_record(
            seeded.ref, seeded.business_name, seeded.payout_type, seeded.metadata, (None, [])
        )
        set_status(record["account"], ACTIVE)
        records[seeded.ref] = record
        if known is None:
            count(by_case, seeded.metadata.get("case_id", ""))
        written += 1
    if written:
        _write(path, saved)
    return written


def _read(path: str) -> dict[str, Any]:
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as file:
        saved = json.load(file)
    if not isinstance(saved, dict):
        raise ValueError(f"{path} is not a payments sandbox state file (not a JSON object).")
    return saved


def _write(path: str, saved: dict[str, Any]) -> None:
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    # A temporary name of its own: two loaders seeding one file never write into each other's.
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, suffix=".tmp", delete=False
    ) as file:
        json.dump(saved, file)
    os.replace(file.name, path)
