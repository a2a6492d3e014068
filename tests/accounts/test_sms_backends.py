import re

import pytest
from django.core.checks import run_checks

from maalem.core import sms
from maalem.core.sms import ConsoleSMSBackend, SMSBackendMisconfigured, get_sms_backend

from .phone_sign_in import ask_for_code, type_code

pytestmark = pytest.mark.django_db


def test_the_console_backend_prints_a_masked_number_and_the_code(client, settings, capsys):
    settings.MAALEM_SMS_BACKEND = "maalem.core.sms.ConsoleSMSBackend"

    ask_for_code(client, "06 12 34 56 78")

    printed = capsys.readouterr().out
    assert "SMS to **********78:" in printed
    assert "612345678" not in printed
    code = re.search(r"\b(\d{6})\b", printed).group(1)
    type_code(client, code)
    assert client.get("/fr/learn/").wsgi_request.user.is_authenticated


def test_the_sms_is_written_in_the_learners_language(client):
    client.post("/ar/learn/sign-in/", {"phone": "0612345678"})
    _phone, text = sms.outbox[-1]
    assert re.search(r"[\u0600-\u06ff]", text)


def test_the_backend_takes_options_from_settings(settings):
    settings.MAALEM_SMS_BACKEND = {
        "BACKEND": "maalem.core.sms.ConsoleSMSBackend",
        "OPTIONS": {"sender": "MAALEM"},
    }
    backend = get_sms_backend()
    assert isinstance(backend, ConsoleSMSBackend)
    assert backend.options == {"sender": "MAALEM"}


def test_a_backend_that_cannot_be_imported_is_reported_at_startup(settings):
    settings.MAALEM_SMS_BACKEND = "maalem.core.sms.NoSuchBackend"
    with pytest.raises(SMSBackendMisconfigured):
        get_sms_backend()
    assert "maalem.E002" in {message.id for message in run_checks()}


def test_a_class_that_is_not_an_sms_backend_is_reported_at_startup(settings):
    settings.MAALEM_SMS_BACKEND = "collections.OrderedDict"
    with pytest.raises(SMSBackendMisconfigured, match="not a subclass"):
        get_sms_backend()
    assert "maalem.E002" in {message.id for message in run_checks()}


def test_a_missing_phone_hmac_key_is_a_warning_in_development_and_an_error_in_production(
    settings,
):
    settings.MAALEM_PHONE_HMAC_KEY = ""
    settings.DEBUG = True
    assert "maalem.W001" in {message.id for message in run_checks()}
    settings.DEBUG = False
    assert "maalem.E003" in {message.id for message in run_checks()}
    settings.MAALEM_PHONE_HMAC_KEY = "a-long-random-secret"
    assert not {"maalem.W001", "maalem.E003"} & {message.id for message in run_checks()}


def test_the_console_backend_outside_development_is_an_error(settings):
    settings.MAALEM_SMS_BACKEND = "maalem.core.sms.ConsoleSMSBackend"
    settings.DEBUG = False
    assert "maalem.E004" in {message.id for message in run_checks()}
    settings.DEBUG = True
    assert "maalem.E004" not in {message.id for message in run_checks()}


def test_a_provider_that_refuses_the_sms_gets_a_calm_message(client, settings):
    settings.MAALEM_SMS_BACKEND = "tests.accounts.test_sms_backends.RefusingBackend"
    response = ask_for_code(client)
    assert response.status_code == 503


class RefusingBackend(sms.SMSBackend):
    def send(self, phone: str, text: str) -> None:
        raise sms.SMSNotSent("provider said no")
