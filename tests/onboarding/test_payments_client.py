"""The HTTP payments backend against the sandbox running as a real server process."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from onboarding.providers import get_backend
from onboarding.providers.base import (
    AccountStatus,
    PayoutMethod,
    ProviderError,
    ProviderRejected,
)
from onboarding.providers.payments import HTTPPaymentsBackend
from tests.worker import wait_for

from .payments_builders import make_applicant
from .sandbox_process import RunningSandbox


def backend(sandbox: RunningSandbox, **options) -> HTTPPaymentsBackend:
    return HTTPPaymentsBackend(**sandbox.options(**options))


def test_opening_an_account_twice_with_the_same_key_opens_one_account(sandbox):
    payments = backend(sandbox)

    first = payments.open_account(make_applicant(reference="41"), "case-41-payment")
    second = payments.open_account(make_applicant(reference="41"), "case-41-payment")

    assert second.ref == first.ref
    assert first.status == AccountStatus.PENDING
    assert sandbox.stats()["accounts_by_case"] == {"41": 1}


def test_a_lost_response_retried_with_the_same_key_gets_the_account_opened_the_first_time(
    sandbox,
):
    payments = backend(sandbox, timeout=0.4)
    sandbox.faults(timeout_next=1, timeout_ms=1500)

    with pytest.raises(ProviderError, match="did not answer"):
        payments.open_account(make_applicant(reference="42"), "case-42-payment")
    account = payments.open_account(make_applicant(reference="42"), "case-42-payment")

    assert sandbox.stats()["accounts_by_case"] == {"42": 1}
    assert [event["account"] for event in sandbox.events()][:1] == [account.ref]


def test_a_retry_while_the_first_request_is_still_running_is_told_to_try_later(sandbox):
    payments = backend(sandbox, timeout=0.3)
    sandbox.faults(latency_ms=800)

    with pytest.raises(ProviderError, match="did not answer"):
        payments.open_account(make_applicant(reference="43"), "case-43-payment")
    with pytest.raises(ProviderError, match="idempotency_key_in_progress"):
        payments.open_account(make_applicant(reference="43"), "case-43-payment")
    wait_for(
        lambda: sandbox.stats()["accounts_created"] == 1,
        timeout=10,
        what="the first request to open its account",
    )
    account = backend(sandbox, timeout=2).open_account(
        make_applicant(reference="43"), "case-43-payment"
    )

    assert account.ref.startswith("acct_")
    assert sandbox.stats()["accounts_by_case"] == {"43": 1}


def test_a_key_reused_with_another_applicant_is_rejected_for_good(sandbox):
    payments = backend(sandbox)
    payments.open_account(make_applicant(shop_name="Zellige Fatima"), "case-44-payment")

    with pytest.raises(ProviderRejected, match="idempotency_key_reused"):
        payments.open_account(make_applicant(shop_name="Another shop"), "case-44-payment")
    assert sandbox.stats()["accounts_created"] == 1


@pytest.mark.parametrize("status", [500, 502, 503, 429, 408])
def test_a_server_error_or_rate_limit_is_worth_retrying(sandbox, status):
    payments = backend(sandbox)
    sandbox.faults(fail_next=1, fail_status=status)

    with pytest.raises(ProviderError, match=f"answered {status}"):
        payments.open_account(make_applicant(), "case-45-payment")
    assert sandbox.stats()["accounts_created"] == 0
    assert (
        payments.open_account(make_applicant(), "case-45-payment").status == AccountStatus.PENDING
    )


def test_an_invalid_applicant_is_rejected_with_the_providers_message(sandbox):
    with pytest.raises(ProviderRejected, match="422.*payout.rib must be 24 digits"):
        backend(sandbox).open_account(
            make_applicant(payout_method=PayoutMethod.BANK, rib="1234"), "case-46-payment"
        )


def test_a_wrong_api_key_is_rejected_for_good(sandbox):
    with pytest.raises(ProviderRejected, match="401"):
        backend(sandbox, api_key="not-the-key").open_account(make_applicant(), "case-47-payment")


def test_an_unknown_account_is_rejected(sandbox):
    with pytest.raises(ProviderRejected, match="404"):
        backend(sandbox).get_account("acct_doesnotexist")


def test_a_reference_that_is_not_an_account_id_never_reaches_the_provider(sandbox):
    with pytest.raises(ProviderRejected, match="not a payment account reference"):
        backend(sandbox).get_account("../_sandbox/reset")
    assert sandbox.stats()["requests"] == 0


def test_a_slow_answer_within_the_timeout_succeeds(sandbox):
    payments = backend(sandbox, timeout=2)
    sandbox.faults(latency_ms=300)

    started = time.monotonic()
    account = payments.open_account(make_applicant(), "case-48-payment")

    assert time.monotonic() - started >= 0.3
    assert payments.get_account(account.ref).ref == account.ref


def test_an_account_becomes_active_after_the_activation_delay(sandbox):
    payments = backend(sandbox)
    account = payments.open_account(make_applicant(), "case-49-payment")

    assert account.status == AccountStatus.PENDING
    wait_for(
        lambda: payments.get_account(account.ref).status == AccountStatus.ACTIVE,
        timeout=10,
        what="the account to become active",
    )


def test_an_unreachable_provider_is_worth_retrying():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    payments = HTTPPaymentsBackend(base_url=f"http://127.0.0.1:{port}", api_key="k", timeout=1)

    with pytest.raises(ProviderError, match="could not reach"):
        payments.open_account(make_applicant(), "case-50-payment")


def test_the_backend_comes_from_the_onboarding_providers_setting(sandbox, settings):
    settings.ONBOARDING_PROVIDERS = {"payments": sandbox.provider_settings()}

    account = get_backend("payments").open_account(make_applicant(), "case-51-payment")

    assert account.ref.startswith("acct_")


class EchoingProvider(BaseHTTPRequestHandler):
    """A provider that repeats the request body in its error message, as some real ones do."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        answer = json.dumps({"error": {"code": "invalid", "message": f"bad applicant {body}"}})
        self.send_response(400)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args) -> None:
        pass


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_personal_data_appears_in_no_log_line_and_no_error_message(sandbox):
    person = make_applicant(
        national_id="QK987654",
        phone="+212698765432",
        name="Khadija Ait Ouali",
        payout_method=PayoutMethod.BANK,
        payout_phone="",
        rib="011780000012345678901234",
    )
    capture = Capture()
    logger = logging.getLogger("onboarding")
    logger.addHandler(capture)
    logger.setLevel(logging.DEBUG)
    messages = []
    echoing = ThreadingHTTPServer(("127.0.0.1", 0), EchoingProvider)
    threading.Thread(target=echoing.serve_forever, daemon=True).start()
    try:
        backend(sandbox).open_account(person, "case-52-payment")
        sandbox.faults(fail_next=1)
        with pytest.raises(ProviderError) as failure:
            backend(sandbox).open_account(person, "case-53-payment")
        messages.append(str(failure.value))
        echo_url = f"http://127.0.0.1:{echoing.server_address[1]}"
        with pytest.raises(ProviderRejected) as rejection:
            HTTPPaymentsBackend(base_url=echo_url, api_key="k").open_account(person, "case-54")
        messages.append(str(rejection.value))
    finally:
        echoing.shutdown()
        echoing.server_close()
        logger.removeHandler(capture)
        logger.setLevel(logging.NOTSET)

    assert "bad applicant" in messages[-1]
    assert len(capture.lines) >= 3
    for text in capture.lines + messages:
        for secret in ("QK987654", "+212698765432", "Khadija", "011780000012345678901234"):
            assert secret not in text
