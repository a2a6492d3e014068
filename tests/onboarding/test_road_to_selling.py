"""The road to selling is visible: "My learning", the page of each required course and the
onboarding page say which courses open a seller account, and how far the learner is."""

from __future__ import annotations

import html
import re

import pytest

from lms.courses import services
from onboarding.models import OnboardingCase
from tests.builders import complete, default_site, make_arabic_copy, make_learner
from tests.i18n import french

from .onboarding_builders import make_case, make_rule, quick_course

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def road_rows(page: str) -> list[tuple[str, str]]:
    """The required courses as listed: (title, status words)."""
    found = re.search(r'<ol class="road">(.*?)</ol>', page, re.S)
    assert found, "no list of the courses that open a seller account"
    rows = []
    for item in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S):
        title = re.search(r"<a [^>]*>(.*?)</a>", item, re.S)
        status = re.search(r'<span class="road-status">(.*?)</span>', item, re.S)
        rows.append(
            (
                html.unescape(title.group(1)) if title else "",
                html.unescape(status.group(1)) if status else "",
            )
        )
    return rows


def three_required_courses_one_done_one_started(learner):
    default_site()
    done, started, untouched = quick_course(), quick_course(), quick_course()
    make_rule(done, started, untouched)
    complete(learner, done)
    services.enrol(learner, started)
    return done, started, untouched


def test_my_learning_names_the_courses_that_lead_to_selling_with_the_learners_progress(client):
    learner = make_learner()
    done, started, untouched = three_required_courses_one_done_one_started(learner)
    client.force_login(learner)

    page = client.get("/fr/learn/").content.decode()

    assert road_rows(page) == [
        (done.title, french("completed")),
        (started.title, french("started")),
        (untouched.title, french("not started")),
    ]
    assert '<progress max="3" value="1"' in page
    # The next step is the course already started.
    assert re.search(rf'<a class="button" href="{started.url}">.*{started.title}</a>', page)
    assert 'href="/fr/onboarding/"' in page


def test_a_required_course_page_says_it_leads_to_selling(client):
    learner = make_learner()
    done, started, untouched = three_required_courses_one_done_one_started(learner)
    client.force_login(learner)

    page = client.get(untouched.url).content.decode()

    assert french("This course is one of the courses that open a seller account on Maalem.") in (
        html.unescape(page)
    )
    assert [title for title, _status in road_rows(page)] == [
        done.title,
        started.title,
        untouched.title,
    ]
    assert re.search(r'<li class="not_started" aria-current="page">', page)


def test_a_course_that_is_not_required_says_nothing_about_selling(client):
    learner = make_learner()
    three_required_courses_one_done_one_started(learner)
    other = quick_course()
    client.force_login(learner)

    page = client.get(other.url).content.decode()

    assert 'class="road-panel"' not in page


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_onboarding_page_exists_for_a_signed_in_learner_without_a_case(client, language):
    learner = make_learner()
    done, started, untouched = three_required_courses_one_done_one_started(learner)
    client.force_login(learner)

    response = client.get(f"/{language}/onboarding/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert [title for title, _status in road_rows(page)] == [
        done.title,
        started.title,
        untouched.title,
    ]
    assert not OnboardingCase.objects.filter(learner=learner).exists()


def test_the_onboarding_page_lists_required_courses_in_the_learners_language(client):
    learner = make_learner()
    course = quick_course()
    arabic = make_arabic_copy(course, "البيع بالهاتف")
    make_rule(course)
    client.force_login(learner)

    page = client.get("/ar/onboarding/").content.decode()

    assert road_rows(page) == [("البيع بالهاتف", "لم تبدأ بعد")]
    assert f'href="{arabic.url}"' in page


def test_the_onboarding_page_says_selling_is_not_open_while_no_course_is_required(client):
    client.force_login(make_learner())

    response = client.get("/fr/onboarding/")

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert (
        french(
            "Selling through Maalem is not open yet. Keep learning: the courses you complete will count."
        )
        in page
    )
    assert 'class="road"' not in page


def test_the_onboarding_page_shows_the_case_of_a_learner_who_has_one(client):
    case = make_case()
    client.force_login(case.learner)

    response = client.get("/ar/onboarding/")

    assert response.status_code == 302
    assert response["Location"] == f"/ar/onboarding/cases/{case.pk}/"


def test_a_learner_who_meets_the_rule_without_a_case_gets_one_on_the_onboarding_page(client):
    learner = make_learner()
    course = quick_course()
    complete(learner, course)
    make_rule(course)  # set after the course was completed: no certificate opens the case
    client.force_login(learner)

    response = client.get("/fr/onboarding/")

    case = OnboardingCase.objects.get(learner=learner)
    assert response["Location"] == f"/fr/onboarding/cases/{case.pk}/"


def test_my_learning_leaves_the_road_to_the_seller_account_section_once_a_case_is_open(client):
    course = quick_course()
    make_rule(course)
    case = make_case()
    client.force_login(case.learner)

    page = client.get("/fr/learn/").content.decode()

    assert 'class="road-panel"' not in page
    assert 'class="onb-section"' in page
