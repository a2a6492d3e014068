"""The verification address printed on a certificate and named in its credential opens the
verification page, whatever language the site defaults to or the learner reads."""

from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.conf import settings as django_settings
from django.utils import translation

from lms.certificates.models import Certificate
from lms.certificates.tasks import render_certificate_pdf
from tests.builders import complete, make_course, make_learner
from tests.certificates.certificate_builders import certificate_credential, first_page_png

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:EdDSA is deprecated")]


def issued(capture) -> Certificate:
    with capture(execute=True):
        complete(make_learner(), make_course(lessons=1, quiz=False))
    return Certificate.objects.get()


def printed_address(certificate: Certificate, tmp_path) -> str:
    """The address in the QR code of the PDF that the worker renders: with no request to
    choose one, its language is ``LANGUAGE_CODE``."""
    with translation.override(django_settings.LANGUAGE_CODE):
        render_certificate_pdf.run(str(certificate.pk))
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        page = first_page_png(handle.read(), tmp_path)
    [address] = [result.text for result in zxingcpp.read_barcodes(page)]
    return address


def test_the_qr_code_opens_the_verification_page_on_a_site_with_the_stock_language_code(
    client, settings, django_capture_on_commit_callbacks, tmp_path
):
    certificate = issued(django_capture_on_commit_callbacks)
    settings.LANGUAGE_CODE = "en-us"  # what `wagtail start` writes

    address = printed_address(certificate, tmp_path)

    path = urlsplit(address).path
    assert path == f"/en/certificates/verify/{certificate.display_code}/"
    response = client.get(path)
    assert response.status_code == 200
    assert certificate.display_code in response.content.decode()


def test_the_configured_language_prefixes_the_printed_address(
    client, settings, django_capture_on_commit_callbacks, tmp_path
):
    certificate = issued(django_capture_on_commit_callbacks)
    settings.LMS_CERTIFICATES_URL_LANGUAGE = "ar"

    path = urlsplit(printed_address(certificate, tmp_path)).path

    assert path == f"/ar/certificates/verify/{certificate.display_code}/"
    assert client.get(path).status_code == 200


def test_the_credential_names_the_printed_address_whatever_language_it_is_downloaded_in(
    client, settings, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    settings.LANGUAGE_CODE = "en-us"

    credential = certificate_credential(client, certificate)  # downloaded under /fr/

    [evidence] = credential["vc"]["evidence"]
    assert evidence["id"] == certificate.verification_url()
    path = urlsplit(evidence["id"]).path
    assert path == f"/en/certificates/verify/{certificate.display_code}/"
    assert client.get(path).status_code == 200
