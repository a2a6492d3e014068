"""Fixtures every part of the suite may ask for by name; the autouse ones run for every test."""

from collections.abc import Iterator

import pytest
from celery import current_app
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from maalem.core import background_exports, sms

# The first test that needs the database waits for it to be made (every migration), which on a busy
# machine (two CI passes side by side, or other people's work) can take longer than a test may.
DATABASE_SETUP_ALLOWANCE = 600


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give the tests up to the first that uses the database the time to make it as well."""
    default = config.getoption("timeout", None) or config.getini("timeout") or 0
    for item in items:
        timeout = default
        if marker := item.get_closest_marker("timeout"):
            timeout = marker.args[0] if marker.args else marker.kwargs.get("timeout", default)
        if float(timeout) > 0:
            item.add_marker(pytest.mark.timeout(float(timeout) + DATABASE_SETUP_ALLOWANCE))
        if "django_db_setup" in item.fixturenames or item.get_closest_marker("django_db"):
            break


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashes() -> Iterator[None]:
    """Passwords hashed in a thousandth of the default time (see tests/passwords.py)."""
    with override_settings(PASSWORD_HASHERS=["tests.passwords.QuickPBKDF2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _languages(settings):
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Row ids come back after a rolled-back test; a cached page list must not outlive its test.
    # Rate limits count in the cache too: each test starts from zero.
    cache.clear()
    from lms.courses import local_cache

    local_cache.clear()


@pytest.fixture
def english() -> Iterator[None]:
    """Staff screens, commands and messages in the source language, which these tests read.

    The content stays in French, the default locale of the pages the builders make.
    """
    with translation.override("en"):
        yield


@pytest.fixture
def pii_keys(settings):
    """The keys that encrypt and fingerprint applicants' personal data."""
    settings.SALT_KEY = ["salt-key-for-tests-a"]
    settings.ONBOARDING_PII_HMAC_KEY = "hmac-key-for-tests"
    return settings


@pytest.fixture
def kyc(pii_keys, settings, tmp_path):
    """What the application form needs: the personal-data keys and a folder for the public
    media. Private photos stay in the test settings' private folder (random names), which a
    worker process started by a test reads too."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    # Tasks run in this process as they are enqueued: the real task code, without a broker.
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sms_outbox(settings) -> Iterator[list[tuple[str, str]]]:
    """The texts sent during the test, (phone, text), kept in memory instead of sent."""
    settings.MAALEM_SMS_BACKEND = "maalem.core.sms.InMemorySMSBackend"
    settings.MAALEM_PHONE_HMAC_KEY = "test-phone-hmac-key"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def synchronous_exports(monkeypatch) -> None:
    """Every report answers its exports within the request, as those not registered for the
    background do (see maalem.core.background_exports)."""
    monkeypatch.setattr(background_exports, "_reports", {})
