"""Every app's settings are read when used, under the app's own prefix."""

from lms.accounts.conf import app_settings as accounts_settings
from lms.certificates.conf import app_settings as certificate_settings
from lms.conf import app_settings as lms_settings
from maalem.core.conf import AppSettings
from maalem.core.conf import app_settings as core_settings
from onboarding.conf import app_settings as onboarding_settings


def test_each_app_reads_its_settings_under_its_own_prefix():
    objects = [
        core_settings,
        lms_settings,
        accounts_settings,
        certificate_settings,
        onboarding_settings,
    ]
    assert all(isinstance(item, AppSettings) for item in objects)
    assert [item.prefix for item in objects] == [
        "MAALEM_",
        "LMS_",
        "LMS_ACCOUNTS_",
        "LMS_CERTIFICATES_",
        "ONBOARDING_",
    ]


def test_a_setting_changed_while_running_is_read_at_once(settings):
    settings.MAALEM_PHONE_REGION = "TN"
    settings.LMS_ACCOUNTS_CODE_TTL = 120
    settings.ONBOARDING_REGIONS = [("01", "Tunis")]
    assert core_settings.PHONE_REGION == "TN"
    assert accounts_settings.CODE_TTL == 120
    assert onboarding_settings.REGIONS == [("01", "Tunis")]


def test_a_plain_dotted_path_names_the_sms_backend_without_options(settings):
    settings.MAALEM_SMS_BACKEND = "maalem.core.sms.InMemorySMSBackend"
    assert core_settings.SMS_BACKEND == {
        "BACKEND": "maalem.core.sms.InMemorySMSBackend",
        "OPTIONS": {},
    }
