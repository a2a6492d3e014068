import re

import pytest

from lms.certificates.issuing import revoke
from lms.certificates.models import Certificate
from tests.builders import complete, make_arabic_copy, make_course, make_learner

PHONE = "+212612345678"


def issued(capture) -> Certificate:
    learner = make_learner(
        "0612345678", first_name="Youssef", last_name="Amrani", email="youssef@example.com"
    )
    course = make_course(title="Photographier ses produits", lessons=1, quiz=False)
    make_arabic_copy(course, "تصوير المنتجات")
    with capture(execute=True):
        complete(learner, course)
    return Certificate.objects.get()


@pytest.mark.django_db
def test_the_page_shows_a_valid_certificate_and_nothing_private(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)

    response = client.get(f"/fr/certificates/verify/{certificate.display_code}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid certificate" in page or "Certificat valide" in page
    for shown in ("Youssef Amrani", "Photographier ses produits", certificate.issuer_name):
        assert shown in page
    for private in ("0612345678", PHONE, "youssef@example.com", str(certificate.pk)):
        assert private not in page
    # Everything above is in the HTML itself; the only script is the site-wide deferred
    # enhancement (offline support), never something the page needs.
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert all(" src=" in tag and " defer" in tag for tag in scripts), scripts


@pytest.mark.django_db
def test_the_page_speaks_arabic_with_the_arabic_course_title(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    page = client.get(f"/ar/certificates/verify/{certificate.display_code}/").content.decode()
    assert 'dir="rtl"' in page
    assert "تصوير المنتجات" in page


@pytest.mark.django_db
def test_the_same_url_answers_json_with_the_same_facts(client, django_capture_on_commit_callbacks):
    certificate = issued(django_capture_on_commit_callbacks)

    response = client.get(
        f"/en/certificates/verify/{certificate.display_code}/", HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "valid",
        "learner_name": "Youssef Amrani",
        "course": "Photographier ses produits",
        "issued_on": certificate.issued_at.astimezone().date().isoformat(),
        "issuer": certificate.issuer_name,
        "code": certificate.display_code,
    }


@pytest.mark.django_db
def test_a_revoked_certificate_shows_as_revoked_on_the_page_and_in_json(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    revoke(certificate, by=None, reason="Fraud at the exam")
    url = f"/en/certificates/verify/{certificate.display_code}/"

    page = client.get(url).content.decode()
    assert "This certificate has been revoked" in page
    assert "Fraud" not in page
    assert client.get(url, HTTP_ACCEPT="application/json").json()["status"] == "revoked"


@pytest.mark.django_db
def test_a_code_typed_loosely_finds_the_certificate(client, django_capture_on_commit_callbacks):
    certificate = issued(django_capture_on_commit_callbacks)
    typed = certificate.code.lower().replace("0", "o").replace("1", "l")

    response = client.get("/fr/certificates/verify/", {"code": typed})

    assert response.status_code == 302
    assert response["Location"] == f"/fr/certificates/verify/{certificate.display_code}/"


@pytest.mark.django_db
def test_an_unknown_code_gets_a_plain_not_found(client):
    pages = []
    for code in ("ABCD-EFGH-JKMN-PQRS", "nonsense"):
        response = client.get(f"/fr/certificates/verify/{code}/")
        assert response.status_code == 404
        pages.append(response.content.decode().replace(code, "CODE"))
    assert pages[0] == pages[1]  # a well-formed code and nonsense get the same answer
    response = client.get(
        "/fr/certificates/verify/ABCD-EFGH-JKMN-PQRS/", HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"error": "not found"}


@pytest.mark.django_db
def test_too_many_lookups_from_one_address_are_refused(client, settings):
    settings.LMS_CERTIFICATES_VERIFY_RATE = "3/m"
    statuses = [
        client.get("/fr/certificates/verify/ABCD-EFGH-JKMN-PQRS/").status_code for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    other_address = client.get(
        "/fr/certificates/verify/ABCD-EFGH-JKMN-PQRS/", REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 404
