"""The required courses that learner pages show are cached for every learner: a change to the
rule, to which courses it requires, or to a required course shows at once, and the learner's own
progress is never shared."""

from __future__ import annotations

import pytest

from lms.courses import services
from onboarding.models import OnboardingRule
from tests.builders import complete, default_site, make_learner
from tests.i18n import french

from .onboarding_builders import make_rule, quick_course
from .test_road_to_selling import road_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def titles(client) -> list[str]:
    return [title for title, _status in road_rows(client.get("/fr/learn/").content.decode())]


def test_a_course_added_to_or_removed_from_the_rule_shows_at_once(client):
    default_site()
    first, second = quick_course(), quick_course()
    rule = make_rule(first)
    client.force_login(make_learner())
    assert titles(client) == [first.title]

    rule.required_courses.add(second)
    rule.save()  # a ParentalManyToManyField writes its changes on save
    assert titles(client) == [first.title, second.title]

    rule.required_courses.remove(first)
    rule.save()
    assert titles(client) == [second.title]


def test_a_rule_saved_with_other_courses_shows_at_once(client):
    default_site()
    first, second = quick_course(), quick_course()
    make_rule(first)
    client.force_login(make_learner())
    assert titles(client) == [first.title]

    rule = OnboardingRule.load()
    rule.required_courses = [second]  # as the settings form does: written on save
    rule.save()
    assert titles(client) == [second.title]


def test_a_required_course_renamed_or_unpublished_shows_at_once(client):
    default_site()
    first, second = quick_course(), quick_course()
    make_rule(first, second)
    client.force_login(make_learner())
    assert titles(client) == [first.title, second.title]

    first.title = "Un autre titre"
    first.save_revision().publish()
    assert titles(client) == ["Un autre titre", second.title]

    second.unpublish()
    assert titles(client) == ["Un autre titre"]


def test_each_learner_sees_their_own_progress_on_the_shared_list(client):
    default_site()
    first, second = quick_course(), quick_course()
    make_rule(first, second)
    ahead, new = make_learner(), make_learner()
    complete(ahead, first)
    services.enrol(ahead, second)

    client.force_login(ahead)
    page = client.get("/fr/learn/").content.decode()
    assert road_rows(page) == [
        (first.title, french("completed")),
        (second.title, french("started")),
    ]
    client.force_login(new)
    page = client.get("/fr/learn/").content.decode()
    assert road_rows(page) == [
        (first.title, french("not started")),
        (second.title, french("not started")),
    ]
