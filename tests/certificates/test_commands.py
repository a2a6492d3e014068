import io

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from lms.certificates import issuing
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
    assert "Issued 3 certificate(s); 0 already had one; 0 failed." in out.getvalue()
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


@pytest.mark.django_db
def test_issue_certificates_goes_on_past_a_failure_says_why_and_exits_non_zero(
    monkeypatch, django_capture_on_commit_callbacks, fast_passwords
):
    course = make_course(lessons=1, quiz=False)
    learners = [make_learner(first_name="Zineb", last_name=f"Tazi{n}") for n in range(3)]
    for learner in learners:
        complete(learner, course)
    failing = learners[1]
    real_issue = issuing.issue_certificate

    def issue(completion):
        if completion.learner_id == failing.pk:
            raise OperationalError("deadlock detected\nDETAIL: Process 12 waits for Zineb")
        return real_issue(completion)

    monkeypatch.setattr(issuing, "issue_certificate", issue)
    out, err = io.StringIO(), io.StringIO()

    with django_capture_on_commit_callbacks(execute=False), pytest.raises(CommandError):
        call_command(
            "issue_certificates", course_key=str(course.translation_key), stdout=out, stderr=err
        )

    assert Certificate.objects.count() == 2
    assert "Issued 2 certificate(s); 0 already had one; 1 failed." in out.getvalue()
    assert "1 × OperationalError: deadlock detected" in out.getvalue()
    assert "Zineb" not in out.getvalue() + err.getvalue()
