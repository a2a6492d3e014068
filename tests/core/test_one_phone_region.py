"""One setting, MAALEM_PHONE_REGION, decides how a number typed without its country code is
read, at sign-in and in the seller application alike."""

import pytest

from maalem.core import sms
from onboarding.models import ApplicantProfile
from tests.accounts.phone_sign_in import ask_for_code
from tests.onboarding.onboarding_builders import application_url, form_data, make_case, make_craft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc", "sms_outbox")]

TUNISIAN_MOBILE = "20 123 456"


def test_a_tunisian_region_reads_a_local_number_as_tunisian_at_sign_in_and_in_the_application(
    client, settings
):
    settings.MAALEM_PHONE_REGION = "TN"

    assert ask_for_code(client, TUNISIAN_MOBILE).status_code == 302
    case = make_case()
    client.force_login(case.learner)
    response = client.post(application_url(case), form_data(make_craft(), phone=TUNISIAN_MOBILE))

    assert response.status_code == 302
    assert [phone for phone, _text in sms.outbox] == ["+21620123456"]
    assert ApplicantProfile.objects.get(case=case).phone == "+21620123456"


def test_the_same_local_number_is_refused_in_both_places_under_the_moroccan_region(client):
    assert ask_for_code(client, TUNISIAN_MOBILE).status_code == 400
    case = make_case()
    client.force_login(case.learner)
    response = client.post(application_url(case), form_data(make_craft(), phone=TUNISIAN_MOBILE))

    assert response.status_code == 200
    assert not ApplicantProfile.objects.filter(case=case, phone__isnull=False).exclude(phone="")
    assert sms.outbox == []
