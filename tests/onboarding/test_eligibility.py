import threading

import pytest
from django.db import connection

from onboarding import eligibility
from onboarding.models import OnboardingCase
from tests.builders import complete, make_arabic_copy, make_learner

from .onboarding_builders import make_rule, quick_course

pytestmark = pytest.mark.django_db


def test_completing_every_required_course_opens_one_eligible_case_with_its_reason(
    django_capture_on_commit_callbacks,
):
    first, second = quick_course(), quick_course()
    make_rule(first, second)
    learner = make_learner()

    # The case opens on certificate_issued, which is sent once the completion has committed.
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, first)
    assert not OnboardingCase.objects.filter(learner=learner).exists()
    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, second)

    case = OnboardingCase.objects.get(learner=learner)
    assert case.state == "eligible"
    assert case.transitions.get().reason == "completed the required courses"


def test_a_course_completed_in_another_language_counts_for_the_required_one(
    django_capture_on_commit_callbacks,
):
    course = quick_course()
    arabic = make_arabic_copy(course, "الدفع بالهاتف")
    make_rule(arabic)
    learner = make_learner()

    with django_capture_on_commit_callbacks(execute=True):
        complete(learner, course)

    assert OnboardingCase.objects.filter(learner=learner).exists()


def test_a_rule_without_courses_makes_nobody_eligible():
    course = quick_course()
    make_rule()
    learner = make_learner()
    complete(learner, course)
    assert eligibility.open_case_if_eligible(learner) is None
    assert not OnboardingCase.objects.exists()


def test_being_found_eligible_twice_still_opens_a_single_case():
    course = quick_course()
    make_rule(course)
    learner = make_learner()
    complete(learner, course)

    first = eligibility.open_case_if_eligible(learner)
    second = eligibility.open_case_if_eligible(learner)

    assert first == second
    assert OnboardingCase.objects.filter(learner=learner).count() == 1
    assert first.transitions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_processes_finding_a_learner_eligible_at_once_open_one_case():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: run with DATABASE_URL pointing at PostgreSQL")
    from tests.builders import default_site

    default_site()
    course = quick_course()
    make_rule(course)
    learner = make_learner()
    complete(learner, course)
    OnboardingCase.objects.all().delete()
    barrier = threading.Barrier(4)
    cases = []

    def open_it():
        barrier.wait()
        try:
            cases.append(eligibility.open_case_if_eligible(learner).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(cases)) == 1
    assert OnboardingCase.objects.filter(learner=learner).count() == 1
    assert OnboardingCase.objects.get().transitions.count() == 1
