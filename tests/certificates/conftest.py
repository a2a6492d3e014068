import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache
from joserfc import jwt
from joserfc.jwk import KeySet
from PIL import Image

from lms.courses import services
from lms.courses.models import CourseCompletion
from tests.builders import correct_answers, lessons_of, make_learner


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The verification page's rate limit counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def complete(learner, course) -> CourseCompletion:
    """Finish every lesson of ``course`` for real, passing its quiz."""
    services.enrol(learner, course)
    for lesson in lessons_of(course):
        if lesson.is_quiz:
            services.submit_quiz(learner, lesson, correct_answers(lesson))
        else:
            services.mark_lesson_done(learner, lesson)
    return CourseCompletion.objects.get(learner=learner, course_key=course.translation_key)


def arabic_learner():
    return make_learner(first_name="فاطمة الزهراء", last_name="بنعلي")


def first_page_png(pdf: bytes, tmp_path: Path) -> Image.Image:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    return Image.open(next(tmp_path.glob("p*.png")))


def published_keys(client) -> KeySet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return KeySet.import_key_set(response.json())


def certificate_credential(client, certificate) -> dict:
    client.force_login(certificate.learner)
    response = client.get(f"/fr/certificates/{certificate.pk}/credential/")
    assert response.status_code == 200
    token = jwt.decode(response.content.decode(), published_keys(client), algorithms=["EdDSA"])
    assert token.header["alg"] == "EdDSA"
    return token.claims
