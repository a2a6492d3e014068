"""The counts that ``GET /_sandbox/stats`` reports, kept since the last reset."""

from __future__ import annotations

from typing import TypedDict


class Stats(TypedDict):
    requests: int
    requests_by_route: dict[str, int]  # "POST /v1/accounts": n
    accounts_created: int
    accounts_by_case: dict[str, int]  # metadata.case_id: accounts opened for it
    idempotent_replays: int
    faults_injected: int
    events_created: int
    webhooks_sent: int  # attempts, whatever their outcome
    webhooks_delivered: int
    webhooks_failed: int
    webhooks_abandoned: int
    payment_sessions_created: int
    payments_succeeded: int
    payments_failed: int
    payments_by_reference: dict[str, int]  # succeeded payments per order reference: 1 is right
    refunds_created: int


def empty_stats() -> Stats:
    return {
        "requests": 0,
        "requests_by_route": {},
        "accounts_created": 0,
        "accounts_by_case": {},
        "idempotent_replays": 0,
        "faults_injected": 0,
        "events_created": 0,
        "webhooks_sent": 0,
        "webhooks_delivered": 0,
        "webhooks_failed": 0,
        "webhooks_abandoned": 0,
        "payment_sessions_created": 0,
        "payments_succeeded": 0,
        "payments_failed": 0,
        "payments_by_reference": {},
        "refunds_created": 0,
    }


def count(counts: dict[str, int], name: str) -> None:
    counts[name] = counts.get(name, 0) + 1
