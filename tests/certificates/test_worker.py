import pytest

from lms.certificates.models import Certificate
from tests.builders import complete, default_site, make_course, make_learner
from tests.worker import celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_completed_course_becomes_a_ready_pdf_through_the_real_broker_and_worker():
    default_site()
    course = make_course(lessons=1, quiz=False)
    with celery_worker(name="certificates"):
        complete(make_learner(), course)
        wait_for(
            lambda: Certificate.objects.filter(pdf_rendered_at__isnull=False).exists(),
            timeout=60,
            what="the worker to render the certificate",
        )
    certificate = Certificate.objects.get()
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
