"""Only the learner a case belongs to sees its application and status."""

from __future__ import annotations

import pytest

from onboarding.models import ApplicantProfile
from tests.builders import make_learner

from .onboarding_builders import application_url, form_data, make_case, make_craft, status_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


@pytest.mark.parametrize("page", [application_url, status_url])
def test_another_learners_case_answers_404_so_case_ids_reveal_nothing(client, page):
    case = make_case()
    client.force_login(make_learner())

    assert client.get(page(case)).status_code == 404


def test_another_learner_cannot_change_the_application(client):
    case = make_case()
    client.force_login(make_learner())

    response = client.post(application_url(case), form_data(make_craft(), action="save"))

    assert response.status_code == 404
    assert not ApplicantProfile.objects.filter(case=case).exists()


@pytest.mark.parametrize("page", [application_url, status_url])
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, page):
    case = make_case()

    response = client.get(page(case))

    assert response.status_code == 302
    assert response.url.startswith("/fr/learn/sign-in/?next=")
