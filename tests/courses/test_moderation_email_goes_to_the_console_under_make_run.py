"""Moderation notices are e-mails: under `make run` they are printed, never sent to a server."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_with(tmp_path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "PYTEST_")) and key not in ("DJANGO_SETTINGS_MODULE",)
    }
    environment.update(
        {
            "DEBUG": "true",
            "MAALEM_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SEND = (
    "from django.core.mail import send_mail; "
    "send_mail('Course review: Mobile payments', 'A page awaits your review.', None, "
    "['moderator@example.org'])"
)


def test_moderation_email_under_make_run_is_printed_not_refused(tmp_path):
    result = run_with(tmp_path, SEND)

    assert result.returncode == 0, result.stderr
    assert "Connection refused" not in result.stderr
    assert "Subject: Course review: Mobile payments" in result.stdout
    assert "To: moderator@example.org" in result.stdout


def test_production_mail_goes_to_the_server_named_by_email_url(tmp_path):
    result = run_with(
        tmp_path,
        "from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
        "settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER)",
        EMAIL_URL="smtp+tls://maalem:secret@smtp.example.org:587",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "True",
        "maalem",
    ]
