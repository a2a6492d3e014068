import pytest
from django.contrib.auth.models import Permission

from lms.certificates.models import Certificate
from lms.certificates.tasks import render_certificate_pdf
from tests.builders import complete, make_course, make_learner
from tests.i18n import french


def issued(capture) -> Certificate:
    with capture(execute=True):
        complete(make_learner(), make_course(title="Emballer", lessons=1, quiz=False))
    return Certificate.objects.get()


@pytest.mark.django_db
def test_my_learning_says_being_prepared_then_offers_the_pdf(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    client.force_login(certificate.learner)
    download = f"/fr/certificates/{certificate.pk}/pdf/"

    page = client.get("/fr/learn/").content.decode()
    assert french("Your certificate is being prepared.") in page
    assert download not in page
    assert client.get(download).status_code == 202

    render_certificate_pdf.run(str(certificate.pk))

    page = client.get("/fr/learn/").content.decode()
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_only_the_learner_and_staff_with_the_certificates_permission_may_download(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    render_certificate_pdf.run(str(certificate.pk))
    download = f"/fr/certificates/{certificate.pk}/pdf/"

    anonymous = client.get(download)
    assert anonymous.status_code == 302
    assert "/sign-in/" in anonymous["Location"]

    client.force_login(make_learner())
    assert client.get(download).status_code == 404
    assert client.get(f"/fr/certificates/{certificate.pk}/credential/").status_code == 404

    officer = make_learner()
    officer.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    client.force_login(officer)
    assert client.get(download).status_code == 200

    # Being staff is not enough.
    client.force_login(make_learner(is_staff=True))
    assert client.get(download).status_code == 404


@pytest.mark.django_db
def test_an_unknown_certificate_is_not_found(client):
    client.force_login(make_learner())
    response = client.get("/fr/certificates/6f1c1f7e-0000-4000-8000-000000000000/pdf/")
    assert response.status_code == 404
