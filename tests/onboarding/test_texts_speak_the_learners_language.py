"""Finding: "SMS go to Arabic learners in French", and "real learners who become eligible get
no SMS, although the demo cases did" (a case opens before the application, so before any
number was given; the number she signs in with was never looked at)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from maalem.core.languages import language_of
from maalem.core.models import LearnerLanguage
from onboarding.models import ApplicantProfile, CaseState
from onboarding.notifications import notify_learner
from tests.accounts.phone_sign_in import E164, PHONE, last_code
from tests.builders import make_catalogue, make_learner

from .onboarding_builders import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc", "eager_tasks")]

ELIGIBLE = "Congratulations! You can now open your seller account. Sign in to fill in the form."


def in_language(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def sign_in(client, language: str):
    client.post(f"/{language}/learn/sign-in/", {"phone": PHONE})
    client.post(f"/{language}/learn/sign-in/code/", {"code": last_code()})


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_sms_go_to_arabic_learners_in_their_language(
    client, sms_outbox, django_capture_on_commit_callbacks, language
):
    sign_in(client, language)
    learner = LearnerLanguage.objects.get().user
    assert language_of(learner) == language
    sms_outbox.clear()

    # Her case opens in a worker, far from any request, in the site's default language.
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        make_case(learner)

    assert sms_outbox == [(E164, in_language(language, ELIGIBLE))]


def test_the_sign_in_code_is_texted_in_the_language_of_the_page(client, sms_outbox):
    client.post("/ar/learn/sign-in/", {"phone": PHONE})
    _phone, text = sms_outbox[-1]
    assert "رمز" in text and "code" not in text


def test_real_learners_who_become_eligible_get_an_sms(
    client, sms_outbox, django_capture_on_commit_callbacks
):
    sign_in(client, "fr")
    learner = LearnerLanguage.objects.get().user
    sms_outbox.clear()

    # No application yet, so no number on the case: the sign-in number is the one to text.
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(learner)

    assert not ApplicantProfile.objects.filter(case=case).exists()
    assert sms_outbox == [(E164, in_language("fr", ELIGIBLE))]


def test_a_learner_without_any_number_is_not_texted(sms_outbox):
    case = make_case(make_learner())
    assert notify_learner(case.pk, CaseState.ELIGIBLE) is False
    assert sms_outbox == []


def test_the_number_of_the_application_comes_before_the_sign_in_number(client, sms_outbox):
    sign_in(client, "ar")
    learner = LearnerLanguage.objects.get().user
    case = make_case(learner, state=CaseState.SUBMITTED)
    ApplicantProfile.objects.create(case=case, cin="AB123456", phone="+212698765432")
    sms_outbox.clear()

    assert notify_learner(case.pk, CaseState.ACTIVE)
    assert sms_outbox == [
        (
            "+212698765432",
            in_language(
                "ar", "Your payment account is open and your shop is live on the marketplace."
            ),
        )
    ]


def test_switching_language_on_a_learner_page_changes_the_language_of_her_texts(client):
    make_catalogue()
    learner = make_learner()
    client.force_login(learner)
    client.get("/fr/learn/")
    assert language_of(learner) == "fr"

    client.get("/ar/learn/")

    assert language_of(learner) == "ar"


def test_reading_pages_in_the_same_language_writes_nothing(client):
    make_catalogue()
    client.force_login(make_learner())
    client.get("/ar/learn/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/ar/learn/")

    table = LearnerLanguage._meta.db_table
    assert [query["sql"] for query in queries if table in query["sql"]] == []
