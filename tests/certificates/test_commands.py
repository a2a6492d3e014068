import io

import pytest
from django.core.management import call_command

from lms.certificates.models import Certificate
from tests.builders import complete, make_course, make_learner


@pytest.mark.django_db
def test_issue_certificates_fills_in_a_cohort_and_says_how_many(django_capture_on_commit_callbacks):
    course = make_course(lessons=1, quiz=False)
    for _ in range(3):
        complete(make_learner(), course)  # outside on-commit capture: the signal never fires
    assert Certificate.objects.count() == 0
    out, err = io.StringIO(), io.StringIO()

    with django_capture_on_commit_callbacks(execute=False):
        call_command(
            "issue_certificates", course_key=str(course.translation_key), stdout=out, stderr=err
        )
        call_command(
            "issue_certificates", course_key=str(course.translation_key), stdout=out, stderr=err
        )

    assert Certificate.objects.filter(course_key=course.translation_key).count() == 3
    assert "Issued 3 certificate(s)" in out.getvalue()
    assert "Issued 0 certificate(s)" in out.getvalue()
    assert "Issuing: 3/3" in err.getvalue()


@pytest.mark.django_db
def test_regenerate_certificate_pdfs_renders_only_the_missing_ones(
    django_capture_on_commit_callbacks,
):
    course = make_course(lessons=1, quiz=False)
    with django_capture_on_commit_callbacks(execute=True):
        complete(make_learner(), course)
        complete(make_learner(), course)
    out = io.StringIO()

    call_command("regenerate_certificate_pdfs", stdout=out, stderr=io.StringIO())
    call_command("regenerate_certificate_pdfs", stdout=out, stderr=io.StringIO())

    assert all(certificate.pdf_ready for certificate in Certificate.objects.all())
    assert "Rendered 2 PDF(s); 0 failed; 2 were missing." in out.getvalue()
    assert "Rendered 0 PDF(s); 0 failed; 0 were missing." in out.getvalue()
