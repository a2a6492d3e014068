from django.core.checks import run_checks

from lms.certificates.keys import new_signing_key


def check_ids() -> set[str]:
    return {message.id for message in run_checks()}


def test_a_site_without_a_signing_key_is_told_at_startup(settings):
    settings.LMS_CERTIFICATES_SIGNING_KEYS = []
    assert "certificates.E001" in check_ids()


def test_a_key_that_is_not_a_private_ed25519_key_is_refused(settings):
    public_only = new_signing_key().replace('"d":', '"not_d":')
    settings.LMS_CERTIFICATES_SIGNING_KEYS = [public_only]
    assert "certificates.E002" in check_ids()
    settings.LMS_CERTIFICATES_SIGNING_KEYS = [new_signing_key()]
    assert not {"certificates.E001", "certificates.E002"} & check_ids()
