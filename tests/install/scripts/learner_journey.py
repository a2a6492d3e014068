"""Run inside a host site with `manage.py shell -c`: a trainer's course in the catalogue that
docs/install.md creates, and a learner who enrols and finishes it through the apps' services.
Prints what the test needs to follow the certificate, as JSON."""

import json
import sys

from django.contrib.auth import get_user_model
from django.utils import translation

from lms.certificates.conf import app_settings as certificate_settings
from lms.certificates.models import Certificate
from lms.courses import services
from lms.courses.models import CourseIndexPage, CoursePage, LessonPage

catalogue = CourseIndexPage.objects.get(slug="courses")
course = catalogue.add_child(
    instance=CoursePage(
        title="Selling on your phone", slug="selling", summary="Photos, prices and payments."
    )
)
lesson = course.add_child(
    instance=LessonPage(
        title="A good photo",
        slug="a-good-photo",
        body=[{"type": "text", "value": {"text": "<p>Use daylight.</p>", "narration": None}}],
    )
)
learner = get_user_model().objects.create_user(
    username="amina", first_name="Amina", last_name="Benali"
)
services.enrol(learner, course)
services.mark_lesson_done(learner, lesson)
certificate = Certificate.objects.get(learner=learner)
# Outside a request the active language is the raw LANGUAGE_CODE ("en-us"), which no URL prefix
# serves; addresses made here take the language the certificates print, as the apps' own do.
with translation.override(certificate_settings.URL_LANGUAGE):
    course_url = course.url
sys.stdout.write(
    json.dumps(
        {
            "certificate": str(certificate.pk),
            "learner_name": certificate.learner_name,
            "course_url": course_url,
        }
    )
    + "\n"
)
