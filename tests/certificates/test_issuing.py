import threading

import pytest
from django.db import connection, connections

from lms.certificates import codes
from lms.certificates.issuing import issue_certificate
from lms.certificates.models import Certificate, CertificateTemplate
from lms.certificates.receivers import issue_on_completion
from lms.certificates.signals import certificate_issued
from lms.courses.models import CourseCompletion
from tests.builders import arabic_learner, complete, make_arabic_copy, make_course, make_learner


@pytest.fixture
def announced():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    certificate_issued.connect(receiver, dispatch_uid="test-certificate-issued")
    yield calls
    certificate_issued.disconnect(dispatch_uid="test-certificate-issued")


@pytest.mark.django_db
def test_completing_a_course_issues_one_certificate_with_the_name_titles_and_a_code(
    django_capture_on_commit_callbacks, announced
):
    course = make_course(title="Vendre en ligne", lessons=1)
    make_arabic_copy(course, "البيع عبر الإنترنت")
    learner = arabic_learner()

    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(learner, course)

    certificate = Certificate.objects.get()
    assert certificate.completion == completion
    assert certificate.learner_name == "فاطمة الزهراء بنعلي"
    assert certificate.course_titles == {"fr": "Vendre en ligne", "ar": "البيع عبر الإنترنت"}
    assert codes.normalise(certificate.display_code) == certificate.code
    assert len(certificate.code) == 16 and set(certificate.code) <= set(codes.ALPHABET)
    assert not certificate.pdf_ready
    assert [(call["certificate"], call["learner"]) for call in announced] == [
        (certificate, learner)
    ]


@pytest.mark.django_db
def test_a_learner_without_a_full_name_gets_their_username_printed(
    django_capture_on_commit_callbacks,
):
    learner = make_learner("artisan42")
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, make_course(lessons=1, quiz=False))
    assert Certificate.objects.get().learner_name == "artisan42"


@pytest.mark.django_db
def test_nothing_is_announced_before_the_commit(django_capture_on_commit_callbacks, announced):
    learner = make_learner()
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(learner, make_course(lessons=1, quiz=False))
    announced.clear()
    Certificate.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issue_certificate(completion)
    assert announced == []
    for callback in callbacks:
        callback()
    assert len(announced) == 1


@pytest.mark.django_db
def test_delivering_course_completed_twice_issues_one_certificate(
    django_capture_on_commit_callbacks, announced
):
    learner = make_learner()
    with django_capture_on_commit_callbacks(execute=True):
        completion = complete(learner, make_course(lessons=1, quiz=False))
        issue_on_completion(sender=CourseCompletion, completion=completion, learner=learner)
        issue_on_completion(sender=CourseCompletion, completion=completion, learner=learner)
    assert Certificate.objects.count() == 1
    assert len(announced) == 1


@pytest.mark.django_db
def test_before_any_template_is_published_a_certificate_says_what_a_new_template_says(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        complete(make_learner(), make_course(lessons=1, quiz=False))

    snapshot = Certificate.objects.get().template_snapshot
    new_template = {
        field.name: field.default
        for field in CertificateTemplate._meta.get_fields()
        if field.name in {"heading_fr", "statement_ar", "primary_colour", "accent_colour"}
    }
    assert snapshot["heading"]["fr"] == new_template["heading_fr"]
    assert snapshot["statement"]["ar"] == new_template["statement_ar"]
    assert (snapshot["primary_colour"], snapshot["accent_colour"]) == (
        new_template["primary_colour"],
        new_template["accent_colour"],
    )


@pytest.mark.django_db
def test_editing_the_template_or_the_course_later_changes_no_issued_certificate(
    django_capture_on_commit_callbacks,
):
    template = CertificateTemplate(name="Ministry", heading_fr="Attestation")
    template.save()
    template.save_revision().publish()
    course = make_course(title="Coudre", lessons=1, quiz=False)
    with django_capture_on_commit_callbacks(execute=True):
        complete(make_learner(), course)
    template = CertificateTemplate.objects.get()
    template.heading_fr = "Diplôme"
    template.save_revision().publish()
    course.title = "Broder"
    course.save_revision().publish()

    certificate = Certificate.objects.get()
    assert certificate.template_snapshot["heading"]["fr"] == "Attestation"
    assert certificate.template_revision.content["heading_fr"] == "Attestation"
    assert certificate.course_title("fr") == "Coudre"


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_course_completed_issue_one_certificate():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL.")
    completion = complete(make_learner(), make_course(lessons=1, quiz=False))
    Certificate.objects.all().delete()
    barrier = threading.Barrier(4)
    errors = []

    def deliver():
        try:
            barrier.wait()
            issue_certificate(completion)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.filter(completion=completion).count() == 1
