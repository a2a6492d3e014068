"""The host site refuses to start in production on a secret that is public or per machine.

Each test starts ``manage.py`` in a fresh process with the environment of a production machine,
since the settings module reads the environment once, at import.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lms.certificates.keys import new_signing_key

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "PYTEST_VERSION",
            "DEBUG",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "CACHE_URL",
            "HTTPS",
        }
        # Playwright's tests set DJANGO_ALLOW_ASYNC_UNSAFE, which production never has.
        and not key.startswith(("PAYMENTS_", "CERTIFICATE_", "SMS_", "HSTS_", "DJANGO_ALLOW"))
    }
    production = {
        "DEBUG": "false",
        "SECRET_KEY": "a-production-secret-key-for-this-test-only-0123456789",
        "PII_SALT_KEYS": "salt-key-for-this-test",
        "PII_HMAC_KEY": "an-hmac-key-for-this-test",
        "PHONE_HMAC_KEY": "a-phone-key-for-this-test",
        "MAALEM_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **production, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_certificate_signing_key_does_not_start(tmp_path):
    result = manage("check", tmp_path=tmp_path)

    assert result.returncode != 0
    assert "Set CERTIFICATE_SIGNING_KEY" in result.stderr
    assert not (tmp_path / "certificate-signing-key.json").exists()


@pytest.mark.parametrize(
    ("secrets", "problem"),
    [("whsec_sandbox", "onboarding.E005"), ("", "onboarding.E004")],
    ids=["the sandbox's public secret", "no secret"],
)
def test_production_refuses_webhook_secrets_anyone_could_sign_with(tmp_path, secrets, problem):
    environment = {"CERTIFICATE_SIGNING_KEY": new_signing_key()}
    if secrets:
        environment["PAYMENTS_WEBHOOK_SECRETS"] = secrets
    result = manage("check", tmp_path=tmp_path, **environment)

    assert result.returncode != 0
    assert problem in result.stderr


def configured(**overrides: str) -> dict[str, str]:
    """The environment of a production machine with every part of its own."""
    return {
        "CERTIFICATE_SIGNING_KEY": new_signing_key(),
        "PAYMENTS_WEBHOOK_SECRETS": "whsec_4f1c0a9e7b2d4c6e8f0a1b3c5d7e9f10",
        "PAYMENTS_API_URL": "https://api.payments.example",
        "PAYMENTS_API_KEY": "pk_live_for_this_test_only",
        # Stands in for the provider's backend a deployment names.
        "SMS_BACKEND": "maalem.core.sms.InMemorySMSBackend",
        **overrides,
    }


def test_production_with_its_own_secrets_passes_the_checks(tmp_path):
    result = manage("check", tmp_path=tmp_path, **configured())

    assert result.returncode == 0, result.stderr


def test_production_on_the_development_defaults_does_not_pass_the_checks(tmp_path):
    environment = {"CERTIFICATE_SIGNING_KEY": new_signing_key()}
    result = manage("check", tmp_path=tmp_path, **environment)

    assert result.returncode != 0
    for problem in ("onboarding.E006", "maalem.E004", "onboarding.E004"):
        assert problem in result.stderr


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("PAYMENTS_API_URL", "http://127.0.0.1:8765/"),
        ("PAYMENTS_API_KEY", "sandbox-key"),
        ("SMS_BACKEND", "maalem.core.sms.ConsoleSMSBackend"),
        ("PHONE_HMAC_KEY", ""),
        ("PII_HMAC_KEY", ""),
        ("PII_SALT_KEYS", ""),
    ],
)
def test_production_refuses_each_development_part_alone(tmp_path, setting, value):
    result = manage("check", tmp_path=tmp_path, **configured(**{setting: value}))

    assert result.returncode != 0
    assert "ERRORS" in result.stderr


def test_a_configured_production_passes_the_deploy_checks_without_a_warning(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        **configured(HTTPS="true", CACHE_URL="rediscache://127.0.0.1:6379/10"),
    )

    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


def test_https_makes_every_cookie_secure(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.X_FRAME_OPTIONS)"
    )
    result = manage("shell", "-c", code, tmp_path=tmp_path, **configured(HTTPS="true"))

    printed = result.stdout.strip().splitlines()[-1]
    assert printed == "True True True True True True DENY", result.stderr


def test_https_turns_on_the_redirect_to_https(tmp_path):
    code = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT)"
    result = manage(
        "shell",
        "-c",
        code,
        tmp_path=tmp_path,
        HTTPS="true",
        CERTIFICATE_SIGNING_KEY=new_signing_key(),
        PAYMENTS_WEBHOOK_SECRETS="whsec_4f1c0a9e7b2d4c6e8f0a1b3c5d7e9f10",
    )

    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr
