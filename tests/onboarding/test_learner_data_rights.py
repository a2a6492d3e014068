"""Issue 10, "Private by default": from "Your data", a learner downloads everything held about
her, and erases her account; with the real payment sandbox behind the closing of her account."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from lms.certificates.models import Certificate
from maalem.core import personal_data
from maalem.core.models import ErasureRecord, PrivateFileAccess
from maalem.core.private_files import private_storage
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import ApplicantProfile, OnboardingStep, StepKind, StepStatus
from onboarding.providers import get_backend
from tests.builders import default_site, make_learner

from .rights_builders import CIN, NAME, PHONE, RIB, found_anywhere, seller, unzip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

DOWNLOAD = "/{}/learn/your-data/download/"
ERASE = "/{}/learn/your-data/erase/"


@pytest.fixture
def site():
    return default_site()


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_my_learning_leads_to_your_data_which_offers_both_rights(client, language):
    learner = make_learner()
    client.force_login(learner)

    learning = client.get(f"/{language}/learn/").content.decode()
    assert f'href="/{language}/learn/your-data/"' in learning
    page = client.get(f"/{language}/learn/your-data/").content.decode()
    assert DOWNLOAD.format(language) in page and ERASE.format(language) in page


def test_the_export_holds_her_data_and_files_and_nothing_of_another_learner(
    client, site, eager_tasks
):
    her = seller(with_account=False)
    other = make_learner(first_name="Khadija", last_name="Alaoui")
    client.force_login(her.learner)

    response = client.get(DOWNLOAD.format("fr"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    files = unzip(b"".join(response.streaming_content))
    account = json.loads(files["account.json"])
    assert (account["first_name"], account["last_name"], account["language"]) == (*NAME, "ar")
    assert json.loads(files["accounts.json"])["phone"] == PHONE
    applicant = json.loads(files["onboarding.json"])["cases"][0]["applicant"]
    assert (applicant["cin"], applicant["rib"]) == (CIN, RIB)
    assert json.loads(files["courses.json"])["completions"]
    printed = json.loads(files["certificates.json"])["certificates"][0]["name_as_printed"]
    assert printed == "Fatima Bennani"
    assert files[f"files/certificates/{her.certificate.code}.pdf"] == b"%PDF-1.4 Bennani"
    assert (
        files[f"files/onboarding/case-{her.case.pk}-photo.jpg"]
        == private_storage().open(her.photo).read()
    )
    assert not any(b"Khadija" in content for content in files.values())
    # Logged as an access to a private file, by account id; never stored under MEDIA_URL.
    access = PrivateFileAccess.objects.get(kind="data_export")
    assert (access.user_id, access.object_ref) == (her.learner.pk, str(her.learner.pk))

    # Another learner asking gets her own export, nothing of Fatima's.
    client.force_login(other)
    theirs = unzip(b"".join(client.get(DOWNLOAD.format("fr")).streaming_content))
    assert not any(b"Bennani" in content or CIN.encode() in content for content in theirs.values())
    assert json.loads(theirs["onboarding.json"]) == {"cases": []}


def test_asking_changes_nothing_and_an_unticked_confirmation_erases_nothing(client):
    learner = make_learner(first_name="Fatima")
    client.force_login(learner)

    assert 'method="post"' in client.get(ERASE.format("ar")).content.decode()
    refused = client.post(ERASE.format("fr"), {})

    assert refused.status_code == 200
    assert "Cochez cette case" in refused.content.decode()
    learner.refresh_from_db()
    assert learner.is_active and learner.first_name == "Fatima"


def test_erasure_leaves_no_trace_of_her_and_closes_her_account_at_the_provider(
    client, site, settings, provider, eager_tasks, django_capture_on_commit_callbacks
):
    settings.ONBOARDING_ERASE_AFTER_DAYS = 0
    her = seller()
    pdf, page = her.certificate.pdf.name, SellerProfilePage.objects.get(case=her.case)
    assert page.live and private_storage().exists(pdf)
    # The search finds her before: her name in clear, her CIN as the database encrypts it.
    assert found_anywhere(NAME[1]) and found_anywhere(her.secrets[-1])
    client.force_login(her.learner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ERASE.format("ar"), {"understood": "on"})

    assert response["Location"] == "/ar/learn/your-data/erased/"
    for value in her.secrets:
        assert found_anywhere(value) == [], value
    assert not private_storage().exists(her.photo) and not private_storage().exists(pdf)
    assert not SellerProfilePage.objects.filter(pk=page.pk).exists()
    # Her case is withdrawn and her account closed at the provider, through the outbox.
    close = OnboardingStep.objects.get(case=her.case, kind=StepKind.CLOSE_ACCOUNT)
    assert close.status == StepStatus.SUCCEEDED
    assert get_backend("payments").get_account(her.case.payment_account_ref).status == "closed"
    # She is signed out and cannot come back; a record that names no one remains.
    user = get_user_model().objects.get(pk=her.learner.pk)
    assert not user.is_active and not user.has_usable_password()
    record = ErasureRecord.objects.get()
    assert user.username == f"erased-{record.pseudonym}" and record.certificates_kept
    assert "onboarding.cases_withdrawn" in record.kinds
    assert client.get("/fr/learn/your-data/").status_code == 302
    # Her certificate stays valid under the pseudonym.
    verify = client.get(her.certificate.verification_path()).content.decode()
    assert record.pseudonym in verify and "Bennani" not in verify
    assert Certificate.objects.get(pk=her.certificate.pk).revoked_at is None

    # A second request (a retry, a double submit) changes nothing.
    assert personal_data.erase_user(user.pk) is None
    assert ErasureRecord.objects.count() == 1
    closed = [event for event in provider.events() if event["status"] == "closed"]
    assert len(closed) == 1


def test_she_may_have_her_certificates_removed_too(
    client, site, django_capture_on_commit_callbacks
):
    her = seller(with_account=False)
    client.force_login(her.learner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(ERASE.format("fr"), {"understood": "on", "remove_certificates": "on"})

    certificate = Certificate.objects.get(pk=her.certificate.pk)
    assert certificate.revoked_at is not None and "Bennani" not in certificate.learner_name
    assert "Bennani" not in client.get(certificate.verification_path()).content.decode()
    status = client.get(certificate.verification_path(), HTTP_ACCEPT="application/json").json()
    assert status["status"] == "revoked"
    assert not ErasureRecord.objects.get().certificates_kept
    # Her identity waits for the retention period, as after a withdrawal.
    assert ApplicantProfile.objects.get(case=her.case).cin == CIN
