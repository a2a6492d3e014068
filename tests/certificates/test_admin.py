import pytest
from django.contrib.auth.models import Group, Permission

from lms.certificates.models import Certificate, CertificateEvent, CertificateTemplate
from tests.builders import complete, make_course, make_learner


def issued(capture) -> Certificate:
    with capture(execute=True):
        complete(make_learner(first_name="Hind"), make_course(lessons=1, quiz=False))
    return Certificate.objects.get()


def certificate_officer(*codenames):
    group = Group.objects.create(name=f"Officers {'-'.join(codenames)}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    officer = make_learner()
    officer.groups.add(group)
    return officer


@pytest.mark.django_db
def test_staff_with_the_permission_revoke_with_a_reason_and_it_is_recorded(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    officer = certificate_officer("view_certificate", "revoke_certificate")
    client.force_login(officer)
    listing = client.get("/admin/certificates/")
    assert listing.status_code == 200
    assert f"/admin/certificates-admin/{certificate.pk}/revoke/" in listing.content.decode()
    url = f"/admin/certificates-admin/{certificate.pk}/revoke/"
    assert client.get(url).status_code == 200

    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    response = client.post(url, {"reason": "Identity fraud"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Identity fraud"
    event = certificate.events.get(action=CertificateEvent.Action.REVOKED)
    assert (event.actor, event.reason) == (officer, "Identity fraud")


@pytest.mark.django_db
def test_staff_without_the_permission_can_neither_revoke_nor_reissue(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    client.force_login(certificate_officer("view_certificate"))
    for action in ("revoke", "reissue"):
        url = f"/admin/certificates-admin/{certificate.pk}/{action}/"
        # Wagtail's admin turns a refusal into a redirect with a message.
        assert client.post(url, {"reason": "x"}).status_code in (302, 403)
    certificate.refresh_from_db()
    assert not certificate.is_revoked


@pytest.mark.django_db
def test_reissuing_replaces_the_certificate_and_revokes_the_old_one(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    learner = certificate.learner
    learner.last_name = "El Fassi"
    learner.save()
    officer = certificate_officer("view_certificate", "revoke_certificate")
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/certificates-admin/{certificate.pk}/reissue/", {"reason": "Name misspelt"}
        )

    assert response.status_code == 302
    old = Certificate.objects.get(pk=certificate.pk)
    new = Certificate.objects.get(replaces=old)
    assert old.revoked_reason == "reissued"
    assert new.learner_name == "Hind El Fassi" and new.code != old.code
    assert not new.is_revoked
    assert new.events.get().actor == officer
    page = client.get(f"/en/certificates/verify/{old.display_code}/").content.decode()
    assert "a newer certificate replaces it" in page


@pytest.mark.django_db
def test_the_template_pdf_preview_renders_a_sample_certificate(admin_client):
    template = CertificateTemplate.objects.create(name="Foundation", heading_fr="Attestation")
    template.save_revision().publish()

    response = admin_client.get(f"/admin/certificates-admin/templates/{template.pk}/preview.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        admin_client.get("/admin/snippets/maalem_certificates/certificatetemplate/").status_code
        == 200
    )
