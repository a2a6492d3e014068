"""Failures the sandbox injects into API calls, as a flaky provider would fail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Faults:
    """Failures to inject, set with ``POST /_sandbox/faults`` and cleared by a reset."""

    latency_ms: int = 0  # added to every API request until changed
    fail_next: int = 0  # the next N API requests answer fail_status and do nothing
    fail_status: int = 503
    timeout_next: int = 0  # the next N API requests do their work, then answer after timeout_ms
    timeout_ms: int = 30_000
    duplicate_webhooks: bool = False  # every delivery is sent twice, same event id
    out_of_order_webhooks: bool = False  # an account's events arrive newest first


@dataclass(frozen=True)
class InjectedFault:
    """What one API call suffers: a failure instead of the work, a delay before, a hang after."""

    fail_status: int | None = None
    latency: float = 0.0  # seconds
    hang: float = 0.0  # seconds

    def __bool__(self) -> bool:
        return bool(self.fail_status or self.latency or self.hang)


def consume_faults(faults: Faults, per_call: str | None) -> InjectedFault:
    """Consume the standing faults for one API call and add the call's own ``Sandbox-Fault``.

    The header reads like ``Sandbox-Fault: fail=503, latency=200, timeout=2000`` (milliseconds).
    The caller holds the sandbox's lock, since this counts ``fail_next`` and ``timeout_next`` down.
    """
    fail_status: int | None = None
    latency, hang = 0.0, 0.0
    if faults.fail_next > 0:
        faults.fail_next -= 1
        fail_status = faults.fail_status
    elif faults.timeout_next > 0:
        faults.timeout_next -= 1
        hang = faults.timeout_ms / 1000
    for part in (per_call or "").split(","):
        name, _, value = part.strip().partition("=")
        number = int(value) if value.strip().isdigit() else None
        if name == "fail":
            fail_status = number or 503
        elif name == "latency":
            latency = (number or 0) / 1000
        elif name == "timeout":
            hang = (number or faults.timeout_ms) / 1000
    return InjectedFault(fail_status, latency, hang)
