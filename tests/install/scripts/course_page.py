"""Run inside a site with `manage.py shell -c`: a catalogue, a course and a lesson are created,
and the catalogue and course pages are read as a visitor would; prints each page's status."""

import sys

from django.test import Client
from wagtail.models import Site

from lms.courses.models import CourseIndexPage, CoursePage, LessonPage

home = Site.objects.get(is_default_site=True).root_page
catalogue = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
course = catalogue.add_child(
    instance=CoursePage(title="Selling on your phone", slug="selling", summary="Photos first.")
)
course.add_child(
    instance=LessonPage(
        title="A good photo",
        slug="a-good-photo",
        body=[{"type": "text", "value": {"text": "<p>Use daylight.</p>", "narration": None}}],
    )
)
visitor = Client()
for page in (catalogue, course):
    response = visitor.get(page.url)
    shown = "Selling on your phone" in response.content.decode()
    sys.stdout.write(f"{page.url} {response.status_code} {'shown' if shown else 'missing'}\n")
