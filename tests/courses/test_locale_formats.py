"""Numbers and dates on learner pages follow the language of the page (Moroccan usage)."""

import datetime

import pytest
from babel.dates import format_date
from django.utils import timezone, translation

from lms.certificates.models import Certificate
from lms.courses import services
from lms.courses.templatetags.lms_tags import local_date, local_number, local_percent
from tests.builders import complete, lessons_of, make_arabic_copy, make_course, make_learner
from tests.i18n import french
from tests.onboarding.test_marketplace_profile_page import live_profile

pytestmark = pytest.mark.django_db

ISSUED = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
NBSP = "\xa0"


def test_the_filters_write_numbers_and_dates_the_local_way():
    day = datetime.date(2026, 11, 23)
    expected = {
        "fr": ("80\xa0%", "23 novembre 2026", "1\u202f234"),
        "ar": ("80%", "23 نونبر 2026", "1.234"),
        "en": ("80%", "November 23, 2026", "1,234"),
    }
    for language, (percent, date, number) in expected.items():
        with translation.override(language):
            assert (local_percent(80), local_date(day), local_number(1234)) == (
                percent,
                date,
                number,
            ), language
    # Moroccan Arabic names the months its own way, unlike Arabic elsewhere.
    assert format_date(day, "long", locale="ar") == "23 نوفمبر 2026"
    # A datetime is shown as the date in the site's time zone, not in UTC.
    late = datetime.datetime(2026, 11, 23, 23, 30, tzinfo=datetime.UTC)
    with timezone.override("Africa/Casablanca"), translation.override("fr"):
        assert local_date(late) == "24 novembre 2026"
        assert local_percent("n/a") == "n/a" and local_number(None) is None
    with timezone.override("UTC"), translation.override("fr"):
        assert local_date(late) == "23 novembre 2026"


def test_the_dashboard_and_course_page_show_progress_in_each_language(client):
    course = make_course(lessons=3, quiz=False, pass_mark=80)
    arabic = make_arabic_copy(course, "البيع بالهاتف")
    learner = make_learner()
    services.enrol(learner, course)
    services.mark_lesson_done(learner, lessons_of(course)[0])
    client.force_login(learner)

    french_page = client.get("/fr/learn/").content.decode()
    assert f"33{NBSP}%" in french_page
    assert "33%" not in french_page
    course_page = client.get(course.url).content.decode()
    assert french("Pass mark: %(mark)s", mark=f"80{NBSP}%") in course_page
    assert f'<progress max="100" value="33" aria-labelledby="your-progress">33{NBSP}%' in (
        course_page
    )

    english_page = client.get("/en/learn/").content.decode()
    assert "33%" in english_page and f"33{NBSP}%" not in english_page
    arabic_page = client.get(arabic.url).content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic_page
    assert "80%" in arabic_page and f"80{NBSP}%" not in arabic_page


def test_the_quiz_states_its_pass_mark_and_score_the_local_way(client):
    course = make_course(lessons=0, quiz=True, pass_mark=80)
    quiz = lessons_of(course)[0]
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)

    page = client.get(quiz.url).content.decode()

    assert french("You pass with %(mark)s or more.", mark=f"80{NBSP}%") in page


@pytest.fixture
def certificate(django_capture_on_commit_callbacks) -> Certificate:
    learner = make_learner(first_name="Youssef", last_name="Amrani")
    course = make_course(title="Photographier ses produits", lessons=1, quiz=False)
    make_arabic_copy(course, "تصوير المنتجات")
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=ISSUED)
    return certificate


@pytest.mark.parametrize(
    ("language", "date"),
    [("fr", "23 novembre 2026"), ("ar", "23 نونبر 2026"), ("en", "November 23, 2026")],
)
def test_the_verification_page_dates_the_certificate_in_the_language_of_the_page(
    client, certificate, language, date
):
    page = client.get(f"/{language}/certificates/verify/{certificate.display_code}/")

    assert page.status_code == 200
    assert f"<bdi>{date}</bdi>" in page.content.decode()


@pytest.mark.usefixtures("pii_keys")
def test_a_seller_page_dates_the_verified_training_the_local_way(client):
    page, certificate = live_profile()
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=ISSUED)

    html = client.get(page.url).content.decode()

    assert "<bdi>23 novembre 2026</bdi>" in html
    assert "2026-11-23" not in html
