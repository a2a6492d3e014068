"""A learner saves the application to finish later, comes back to it (personal values masked,
never shown in full), and sends it: the case moves on and its payment step is queued."""

from __future__ import annotations

import html
import logging

import pytest
from wagtail.images import get_image_model

from onboarding.models import ApplicantProfile, CaseState, OnboardingCase, OnboardingStep
from onboarding.pii import cin_digest
from tests.i18n import french

from .onboarding_builders import (
    VALID_CIN,
    application_url,
    field_error,
    form_data,
    make_case,
    make_craft,
    status_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def test_saving_a_draft_keeps_the_answers_and_the_form_comes_back_filled_with_masked_values(client):
    case = make_case()
    craft = make_craft()
    client.force_login(case.learner)

    response = client.post(
        application_url(case),
        form_data(craft, action="save", consent=None, photo=None, shop_name="Zellige Fès"),
    )

    assert response.status_code == 302
    assert response.url == application_url(case) + "?done=saved"
    case.refresh_from_db()
    assert case.state == CaseState.KYC_PENDING
    page = client.get(response.url).content.decode()
    assert french("Your answers are saved. You can come back to finish later.") in html.unescape(
        page
    )
    assert "AB****56" in page
    assert "**********78" in page
    assert VALID_CIN not in page and "612345678" not in page
    assert 'name="cin" value' not in page
    assert 'value="Zellige Fès"' in page
    assert f'<option value="{craft.pk}" selected>' in page
    assert '<option value="Fès-Meknès" selected>' in page


def test_a_draft_with_one_mistake_keeps_every_other_answer(client):
    case = make_case()
    client.force_login(case.learner)

    response = client.post(
        application_url(case), form_data(make_craft(), action="save", phone="0522123456")
    )

    assert field_error(response.content.decode(), "phone") == french(
        "Enter a mobile number: this one is a landline."
    )
    profile = ApplicantProfile.objects.get(case=case)
    assert profile.cin == VALID_CIN
    assert profile.cin_digest == cin_digest(VALID_CIN)
    assert not profile.phone
    assert profile.photo is not None


def test_inputs_left_empty_keep_the_stored_national_id_and_phone_when_the_learner_sends(client):
    case = make_case()
    craft = make_craft()
    client.force_login(case.learner)
    client.post(application_url(case), form_data(craft, action="save"))

    response = client.post(application_url(case), form_data(craft, cin="", phone="", photo=None))

    assert response.status_code == 302
    assert response.url == status_url(case) + "?done=sent"
    profile = ApplicantProfile.objects.get(case=case)
    assert profile.cin == VALID_CIN
    assert profile.phone == "+212612345678"


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_sending_the_application_submits_the_case_and_queues_the_payment_step(client):
    case = make_case()
    client.force_login(case.learner)
    recorder, root = Recorder(), logging.getLogger()
    root.addHandler(recorder)
    previous_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        response = client.post(application_url(case), form_data(make_craft()))
    finally:
        root.removeHandler(recorder)
        root.setLevel(previous_level)

    assert response.status_code == 302
    case.refresh_from_db()
    assert [row.to_state for row in case.transitions.all()] == [
        "eligible",
        "submitted",
        "provisioning",
    ]
    step = OnboardingStep.objects.get(case=case)
    assert step.kind == "payment_account"
    profile = case.applicant
    assert profile.cin == VALID_CIN
    assert profile.consented_at is not None
    assert profile.consent_text == french(
        "I agree that Maalem sends my name, national ID number, phone number, shop details and "
        "payout details to the payment provider, to open my seller account and pay me. I can "
        "withdraw my consent at any time."
    )
    # The photo is a private file, not a Wagtail image that an image chooser would list.
    assert profile.photo.name.startswith("onboarding/photos/")
    assert not get_image_model().objects.exists()
    logged = "\n".join(recorder.lines)
    assert "onboarding case" in logged
    assert VALID_CIN not in logged and "612345678" not in logged
    assert VALID_CIN not in response.url


def test_a_national_id_already_used_by_another_case_sends_the_case_to_manual_review(client):
    first, second = make_case(), make_case()
    craft = make_craft()
    client.force_login(first.learner)
    client.post(application_url(first), form_data(craft))
    client.force_login(second.learner)

    client.post(application_url(second), form_data(craft, cin="ab 123456"))

    second.refresh_from_db()
    assert second.state == CaseState.MANUAL_REVIEW
    assert not OnboardingStep.objects.filter(case=second).exists()


def test_after_sending_the_form_shows_the_status_page_instead(client):
    case = make_case()
    client.force_login(case.learner)
    client.post(application_url(case), form_data(make_craft()))

    response = client.get(application_url(case))

    assert response.status_code == 302
    assert response.url == status_url(case)


def test_when_the_provider_asks_for_more_the_form_leads_to_the_page_that_answers_it(client):
    case = make_case()
    client.force_login(case.learner)
    client.post(application_url(case), form_data(make_craft()))
    OnboardingCase.objects.filter(pk=case.pk).update(
        state=CaseState.ACTION_REQUIRED, requirements=["identity_document"]
    )

    response = client.get(application_url(case))

    assert response.status_code == 302
    assert response.url == f"/fr/onboarding/cases/{case.pk}/action-required/"
