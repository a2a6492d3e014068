import io

import pypdf
import pytest
import zxingcpp

from lms.certificates.conf import app_settings
from lms.certificates.models import Certificate
from lms.certificates.tasks import render_certificate_pdf
from tests.builders import arabic_learner, complete, make_course
from tests.certificates.certificate_builders import first_page_png


def rendered_certificate(capture, title="Vendre en ligne avec son téléphone") -> Certificate:
    with capture(execute=True):
        complete(arabic_learner(), make_course(title=title, lessons=1, quiz=False))
    certificate = Certificate.objects.get()
    render_certificate_pdf.run(str(certificate.pk))
    certificate.refresh_from_db()
    return certificate


@pytest.mark.django_db
def test_the_pdf_holds_the_arabic_name_in_reading_order_and_the_french_course_title(
    django_capture_on_commit_callbacks, tmp_path
):
    certificate = rendered_certificate(django_capture_on_commit_callbacks)
    assert certificate.pdf_ready
    with certificate.pdf.open("rb") as handle:
        pdf = handle.read()

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "فاطمة الزهراء بنعلي" in text
    assert "Vendre en ligne avec son téléphone" in text
    assert certificate.display_code in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    assert round(width * 25.4 / 72) == 297


@pytest.mark.django_db
def test_the_pdf_is_archival_tagged_and_carries_its_metadata_and_fonts(
    django_capture_on_commit_callbacks,
):
    certificate = rendered_certificate(django_capture_on_commit_callbacks)
    with certificate.pdf.open("rb") as handle:
        pdf = handle.read()
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]

    assert reader.metadata.title.endswith("فاطمة الزهراء بنعلي")
    assert reader.metadata.author == certificate.issuer_name
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/MarkInfo"]["/Marked"])  # tagged
    assert "/StructTreeRoot" in catalog
    xmp = catalog["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in xmp or b'pdfaid:part="3"' in xmp
    fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    descriptors = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts.values()
    ]
    assert all("/FontFile2" in d for d in descriptors)
    assert any("Amiri" in d["/FontName"] for d in descriptors)


@pytest.mark.django_db
def test_the_qr_code_on_the_page_leads_to_the_public_verification_page(
    django_capture_on_commit_callbacks, tmp_path
):
    certificate = rendered_certificate(django_capture_on_commit_callbacks)
    with certificate.pdf.open("rb") as handle:
        page = first_page_png(handle.read(), tmp_path)

    decoded = [result.text for result in zxingcpp.read_barcodes(page)]

    expected = f"{app_settings.BASE_URL}/fr/certificates/verify/{certificate.display_code}/"
    assert decoded == [expected]


@pytest.mark.django_db
def test_rendering_again_keeps_the_pdf_already_made(django_capture_on_commit_callbacks):
    certificate = rendered_certificate(django_capture_on_commit_callbacks)
    name, rendered_at = certificate.pdf.name, certificate.pdf_rendered_at
    render_certificate_pdf.run(str(certificate.pk))
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.pdf_rendered_at) == (name, rendered_at)
