"""Certificate PDFs are private files: a random name in the private storage, nothing under
MEDIA_URL, handed over only to their learner or to staff holding the certificates permission,
each request written in the access log."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

from lms.certificates.models import Certificate
from lms.certificates.tasks import render_certificate_pdf
from maalem.core.models import PrivateFileAccess
from maalem.core.private_files import private_storage
from tests.builders import complete, make_course, make_learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(django_capture_on_commit_callbacks, settings, tmp_path) -> Certificate:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_capture_on_commit_callbacks(execute=True):
        complete(make_learner(), make_course(title="Emballer", lessons=1, quiz=False))
    certificate = Certificate.objects.get()
    render_certificate_pdf.run(str(certificate.pk))
    certificate.refresh_from_db()
    return certificate


def test_certificate_pdf_has_a_random_private_name_and_nothing_under_media_url(client, certificate):
    name = certificate.pdf.name
    assert name.startswith("certificates/") and name.endswith(".pdf")
    assert str(certificate.pk) not in name and "/20" not in name
    assert private_storage().exists(name)
    media_root = Path(settings.MEDIA_ROOT)
    assert media_root not in Path(private_storage().path(name)).parents
    assert not media_root.exists() or not list(media_root.rglob("*.pdf"))
    client.force_login(certificate.learner)
    assert client.get(settings.MEDIA_URL + name).status_code == 404


def officer():
    user = make_learner(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    return user


def trainer():
    user = make_learner(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


VISITORS = {
    "owner": (lambda certificate: certificate.learner, 200),
    "other learner": (lambda certificate: make_learner(), 404),
    "anonymous": (lambda certificate: None, 302),
    "trainer": (lambda certificate: trainer(), 404),
    "staff without the permission": (lambda certificate: make_learner(is_staff=True), 404),
    "staff with the certificates permission": (lambda certificate: officer(), 200),
}


@pytest.mark.parametrize("who", VISITORS)
def test_any_is_staff_user_could_download_any_certificate(client, certificate, who):
    make_user, expected = VISITORS[who]
    user = make_user(certificate)
    if user is not None:
        client.force_login(user)

    response = client.get(f"/fr/certificates/{certificate.pk}/pdf/")

    assert response.status_code == expected
    rows = list(PrivateFileAccess.objects.all())
    if expected == 302:
        assert rows == []  # sent to sign in first, as before
        return
    assert [(r.kind, r.object_ref, r.granted) for r in rows] == [
        ("certificates.pdf", str(certificate.pk), expected == 200)
    ]
    assert rows[0].user_id == user.pk
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="certificate-')
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_certificate_pdf_x_accel_redirect_mode(client, certificate, settings):
    settings.MAALEM_PRIVATE_FILES_SERVE = "x-accel-redirect"
    client.force_login(certificate.learner)

    response = client.get(f"/fr/certificates/{certificate.pk}/pdf/")

    assert response["X-Accel-Redirect"] == f"/protected/{certificate.pdf.name}"
    assert response["Content-Type"] == "application/pdf"
