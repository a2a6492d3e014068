"""When the payment provider asks for more, the learner answers on her page, the outbox sends each
answer once, and the provider's webhook moves the case on (in-memory provider, real endpoint)."""

from __future__ import annotations

import html
import io

import pytest
from django.utils import translation
from PIL import Image as PILImage

from onboarding import applications, outbox
from onboarding.models import OnboardingCase, OnboardingStep, ProviderAnswer
from onboarding.providers.base import DocumentKind, DocumentUpload, requirement_label
from onboarding.providers.fake import InMemoryPaymentsBackend

from .onboarding_builders import application, make_case, photo_upload, valid_rib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc", "eager_tasks")]

WEBHOOK_URL = "/onboarding/webhooks/payments/"


@pytest.fixture
def provider(in_memory_provider: InMemoryPaymentsBackend) -> InMemoryPaymentsBackend:
    return in_memory_provider


def restricted_case(client, provider, requirements, capture) -> OnboardingCase:
    """A submitted case whose account the provider restricted, by its real webhook."""
    case = make_case()
    applications.submit_application(case.pk, application(), case.learner)
    assert outbox.run_step(OnboardingStep.objects.get(case=case).pk) == "succeeded"
    case.refresh_from_db()
    with capture(execute=True):
        deliver(client, provider.set_account(case.payment_account_ref, "restricted", requirements))
    case.refresh_from_db()
    assert case.state == "action_required"
    client.force_login(case.learner)
    return case


def deliver(client, webhook) -> None:
    response = client.post(
        WEBHOOK_URL, webhook.body, content_type="application/json", headers=webhook.headers
    )
    assert response.status_code == 200


def page_url(case, language="fr") -> str:
    return f"/{language}/onboarding/cases/{case.pk}/action-required/"


def test_action_required_is_not_a_dead_end(client, provider, django_capture_on_commit_callbacks):
    case = restricted_case(
        client, provider, ["identity_document"], django_capture_on_commit_callbacks
    )
    status_page = client.get(f"/ar/onboarding/cases/{case.pk}/").content.decode()
    assert page_url(case, "ar") in status_page

    page = html.unescape(client.get(page_url(case, "ar")).content.decode())
    with translation.override("ar"):
        assert str(DocumentKind.IDENTITY_CARD_FRONT.label) in page
        assert str(DocumentKind.IDENTITY_CARD_BACK.label) in page
    assert 'type="file" name="identity_card_front"' in page
    assert 'type="file" name="identity_card_back"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page_url(case, "ar"),
            {
                "identity_card_front": photo_upload("front.jpg", "JPEG"),
                "identity_card_back": photo_upload("back.png"),
            },
        )

    assert response.status_code == 302
    # The worker (eager here) sent both sides; the provider, satisfied, reviews the account.
    steps = OnboardingStep.objects.filter(case=case, kind="document")
    assert sorted(steps.values_list("status", flat=True)) == ["succeeded", "succeeded"]
    assert provider.get_account(case.payment_account_ref).status == "pending"
    assert not ProviderAnswer.objects.filter(case=case).exclude(sealed="").exists()
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, provider.webhook(case.payment_account_ref))
    case.refresh_from_db()
    assert case.state == "provisioning"

    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, provider.set_account(case.payment_account_ref, "active"))
    case.refresh_from_db()
    assert case.state == "active"
    assert client.get(page_url(case)).url == f"/fr/onboarding/cases/{case.pk}/"


def test_a_wrong_rib_flagged_by_the_provider_is_corrected_in_a_field(
    client, provider, django_capture_on_commit_callbacks
):
    case = restricted_case(client, provider, ["bank_account"], django_capture_on_commit_callbacks)
    page = client.get(page_url(case)).content.decode()
    assert 'name="rib"' in page and 'type="file"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(case), {"rib": valid_rib()})

    step = OnboardingStep.objects.get(case=case, kind="account_changes")
    assert step.status == "succeeded"
    case.refresh_from_db()
    # The provider is satisfied, and the application says what the provider was told.
    assert (case.payment_account_status, case.state) == ("pending", "provisioning")
    assert (case.applicant.payout_method, case.applicant.rib) == ("bank", valid_rib())


def test_a_bad_rib_or_a_file_that_is_no_photo_is_refused_and_nothing_is_kept(
    client, provider, django_capture_on_commit_callbacks
):
    case = restricted_case(
        client, provider, ["identity_document", "bank_account"], django_capture_on_commit_callbacks
    )
    not_a_photo = io.BytesIO(b"%PDF-1.4 not a photo")
    not_a_photo.name = "card.pdf"

    response = client.post(page_url(case), {"identity_card_front": not_a_photo, "rib": "1234"})

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'id="error-summary"' in page
    assert 'href="#id_identity_card_front"' in page and 'href="#id_rib"' in page
    assert not ProviderAnswer.objects.exists()
    assert not OnboardingStep.objects.filter(kind__in=["document", "account_changes"]).exists()


def test_an_unknown_requirement_gets_a_photo_with_the_general_wording(
    client, provider, django_capture_on_commit_callbacks
):
    case = restricted_case(
        client, provider, ["tax_certificate"], django_capture_on_commit_callbacks
    )

    with translation.override("fr"):
        page = html.unescape(client.get(page_url(case)).content.decode())
        assert requirement_label("tax_certificate") in page
    assert 'type="file" name="other_0"' in page
    assert "tax_certificate" not in page.split("<main")[-1]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(case), {"other_0": photo_upload()})
    assert provider.get_account(case.payment_account_ref).status == "pending"


def test_each_answer_reaches_the_provider_once_however_often_its_step_runs(
    client, provider, django_capture_on_commit_callbacks
):
    case = restricted_case(client, provider, ["selfie"], django_capture_on_commit_callbacks)
    # Kept, not yet sent: the worker is down.
    client.post(page_url(case), {"selfie": photo_upload()})
    step = OnboardingStep.objects.get(case=case, kind="document")
    answer = step.answer
    assert answer.sealed and answer.content().startswith(b"\xff\xd8")  # re-encoded as JPEG
    # A first attempt reached the provider, but its answer was lost on the way back.
    lost = provider.upload_document(
        case.payment_account_ref,
        DocumentUpload("selfie", answer.content(), "image/jpeg", "selfie"),
        str(step.idempotency_key),
    )

    assert outbox.run_step(step.pk) == "succeeded"
    assert outbox.run_step(step.pk) == "already succeeded"

    step.refresh_from_db()
    answer.refresh_from_db()
    assert step.external_ref == lost.ref
    assert len(provider.store.answers) == 1
    # Once the provider has it, our copy of the photo is erased.
    assert answer.sealed == "" and answer.sent_at is not None


def test_a_photo_keeps_no_exif_once_re_encoded(
    client, provider, django_capture_on_commit_callbacks
):
    case = restricted_case(client, provider, ["selfie"], django_capture_on_commit_callbacks)
    buffer = io.BytesIO()
    exif = PILImage.Exif()
    exif[0x0110] = "Phone model X"
    PILImage.new("RGB", (80, 60), (10, 20, 30)).save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    buffer.name = "me.jpg"

    client.post(page_url(case), {"selfie": buffer})

    content = OnboardingStep.objects.get(case=case, kind="document").answer.content()
    assert b"Phone model X" not in content
    with PILImage.open(io.BytesIO(content)) as image:
        assert not image.getexif()


def test_another_learner_cannot_open_or_answer_the_page(
    client, provider, django_capture_on_commit_callbacks
):
    case = restricted_case(client, provider, ["selfie"], django_capture_on_commit_callbacks)
    client.force_login(make_case().learner)

    assert client.get(page_url(case)).status_code == 404
    assert client.post(page_url(case), {"selfie": photo_upload()}).status_code == 404
    assert not ProviderAnswer.objects.exists()


def test_a_photo_never_sent_is_not_kept_once_the_case_is_withdrawn(
    client, provider, django_capture_on_commit_callbacks
):
    case = restricted_case(client, provider, ["selfie"], django_capture_on_commit_callbacks)
    client.post(page_url(case), {"selfie": photo_upload()})
    step = OnboardingStep.objects.get(case=case, kind="document")
    OnboardingCase.objects.filter(pk=case.pk).update(state="withdrawn")

    assert outbox.run_step(step.pk) == "parked"

    answer = ProviderAnswer.objects.get(step=step)
    assert answer.sealed == "" and answer.sent_at is None
