"""The payment sandbox as a real separate process, for tests.

    with running_sandbox(webhook_url=receiver_url, activation_delay=0.2) as sandbox:
        settings.ONBOARDING_PROVIDERS = {..., "payments": sandbox.provider_settings(timeout=1)}
        sandbox.faults(fail_next=2, fail_status=503)
        ...
        assert sandbox.stats()["accounts_by_case"] == {str(case.pk): 1}

Keyword options become the server's command-line flags (``activation_delay=0.2`` →
``--activation-delay 0.2``): api_key, webhook_secret, activation_delay, webhook_max_attempts,
webhook_backoff, state_file. The server picks a free port itself and prints it, so two test
processes (pytest-xdist) never race for one. Its log goes to the run's runtime folder
(``MAALEM_VAR_DIR``, var/test/ by default) as sandbox-<pid>.log.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from django.conf import settings

from tests.worker import wait_for

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = {"api_key": "sandbox-key", "webhook_secret": "whsec_sandbox"}


class RunningSandbox:
    """A handle on a started sandbox: its URL, its credentials and its control endpoints."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], options: dict[str, Any]):
        self.url = url
        self.process = process
        self.api_key: str = options["api_key"]
        self.webhook_secret: str = options["webhook_secret"]

    def faults(self, **faults: Any) -> dict[str, Any]:
        """Inject faults, e.g. ``faults(timeout_next=1, timeout_ms=3000)``; returns them all."""
        return self._control("POST", "/_sandbox/faults", faults)

    def configure(self, **config: Any) -> dict[str, Any]:
        """Change webhook_url, activation_delay, webhook_max_attempts... until the next reset."""
        return self._control("POST", "/_sandbox/config", config)

    def stats(self) -> dict[str, Any]:
        """Counts: requests, accounts_created, accounts_by_case {case_id: n}, webhooks_*..."""
        return self._control("GET", "/_sandbox/stats")

    def events(self) -> list[dict[str, Any]]:
        """Every account.updated event created, in order: id, account, status, created."""
        return self._control("GET", "/_sandbox/events")["events"]

    def reset(self) -> None:
        """Forget accounts, idempotency keys, faults, stats and config changes."""
        self._control("POST", "/_sandbox/reset")

    def set_account(self, ref: str, status: str, requirements: list[str] | None = None) -> dict:
        """Move an account by hand, as the provider's back office would; a webhook follows."""
        return self._control(
            "POST",
            f"/_sandbox/accounts/{ref}",
            {"status": status, "requirements": requirements or []},
        )

    def run_payouts(self) -> list[dict[str, Any]]:
        """Pay every merchant her available balance now, as the daily schedule would."""
        return self._control("POST", "/_sandbox/payouts/run")["payouts"]

    def open_dispute(self, payment_or_session: str, reason: str = "fraudulent") -> dict[str, Any]:
        """The buyer's bank disputes a succeeded payment; ``dispute.created`` follows."""
        key = "session" if payment_or_session.startswith("ps_") else "payment"
        return self._control(
            "POST", "/_sandbox/disputes", {key: payment_or_session, "reason": reason}
        )

    def close_dispute(self, dispute_id: str, outcome: str) -> dict[str, Any]:
        """The bank decides (won or lost); ``dispute.closed`` follows."""
        return self._control("POST", f"/_sandbox/disputes/{dispute_id}/close", {"outcome": outcome})

    def options(self, **overrides: Any) -> dict[str, Any]:
        """OPTIONS for HTTPPaymentsBackend pointed at this sandbox."""
        return {
            "base_url": self.url,
            "api_key": self.api_key,
            "webhook_secrets": [self.webhook_secret],
            "timeout": 2.0,
            **overrides,
        }

    def provider_settings(self, **overrides: Any) -> dict[str, Any]:
        """The ``ONBOARDING_PROVIDERS["payments"]`` entry for this sandbox."""
        return {
            "BACKEND": "onboarding.providers.payments.HTTPPaymentsBackend",
            "OPTIONS": self.options(**overrides),
        }

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(method, self.url + path, json=body, timeout=5)
        response.raise_for_status()
        return response.json()


@contextmanager
def running_sandbox(webhook_url: str | None = None, **options: Any) -> Iterator[RunningSandbox]:
    """Start ``python -m onboarding.sandbox`` on a free port; stop it on exit."""
    options = {**DEFAULTS, **options}
    command = [sys.executable, "-m", "onboarding.sandbox", "--port", "0"]
    if webhook_url:
        command += ["--webhook-url", webhook_url]
    for name, value in options.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    log_dir = Path(settings.VAR_DIR)
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / f"sandbox-{os.getpid()}.log", "ab")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        start_new_session=True,
    )
    try:
        url = _announced_url(process)
        yield RunningSandbox(url, process, options)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout:
            process.stdout.close()
        log.close()


def _announced_url(process: subprocess.Popen[bytes]) -> str:
    assert process.stdout
    line = process.stdout.readline().decode()
    if "http://" not in line:
        process.wait(timeout=5)
        raise RuntimeError(
            f"the sandbox did not start (exit {process.returncode}); see {settings.VAR_DIR}"
        )
    url = line[line.index("http://") :].strip()
    wait_for(lambda: _answers(url), timeout=5, what=f"the sandbox at {url} to answer", every=0.05)
    return url


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/_sandbox/stats", timeout=1).ok
    except requests.RequestException:
        return False


def applicant(**overrides: Any) -> dict[str, Any]:
    """A valid ``POST /v1/accounts`` body; national_id endings choose the outcome (see docs)."""
    body: dict[str, Any] = {
        "name": "Fatima Zahra El Idrissi",
        "phone": "+212612345678",
        "national_id": "AB123456",
        "shop_name": "Zellige Fatima",
        "payout": {"type": "wallet", "phone": "+212612345678"},
        "metadata": {"case_id": "1"},
    }
    return {**body, **overrides}


@contextmanager
def sandbox_for_worker(
    live_server_url: str,
    settings: Any,
    monkeypatch: Any,
    *,
    timeout: float,
    activation_delay: float = 0.3,
    worker_settings: str = "tests.onboarding.worker_settings",
) -> Iterator[RunningSandbox]:
    """A sandbox whose webhooks reach this test's live server, for this process and a worker.

    This process reads ``settings``; a Celery worker is another process, which reads its
    settings from the environment, so both are pointed at the sandbox.
    """
    webhook_url = live_server_url + "/onboarding/webhooks/payments/"
    with running_sandbox(webhook_url=webhook_url, activation_delay=activation_delay) as sandbox:
        settings.ONBOARDING_PROVIDERS = {
            **settings.ONBOARDING_PROVIDERS,
            "payments": sandbox.provider_settings(timeout=timeout),
        }
        monkeypatch.setenv("DJANGO_SETTINGS_MODULE", worker_settings)
        monkeypatch.setenv("PAYMENTS_API_URL", sandbox.url)
        monkeypatch.setenv("PAYMENTS_TIMEOUT", f"{timeout:g}")
        monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
        yield sandbox
