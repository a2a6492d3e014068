"""The enrolment every lesson and course page reads, compiled once per connection
(lms.courses.enrolment_query), is the same as the queryset it stands for would give."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.courses import services
from lms.courses.done_keys import done_keys
from lms.courses.models import CourseCompletion, Enrolment
from lms.courses.progress import enrolment_for
from tests.builders import lessons_of, make_course, make_learner

pytestmark = pytest.mark.django_db


def test_an_enrolment_comes_with_its_lessons_done_and_no_completion_in_one_query():
    course = make_course(lessons=3, quiz=False)
    learner, other = make_learner(), make_learner("other")
    services.enrol(learner, course)
    services.enrol(other, course)
    first, second, _third = lessons_of(course)
    services.mark_lesson_done(learner, first)
    services.mark_lesson_done(learner, second)
    services.mark_lesson_done(other, first)
    expected = Enrolment.objects.get(learner=learner, course_key=course.translation_key)

    enrolment_for(learner, course)  # compiled on the first call of this connection
    with CaptureQueriesContext(connection) as queries:
        enrolment = enrolment_for(learner, course)
        keys = done_keys(enrolment)
        with pytest.raises(CourseCompletion.DoesNotExist):
            enrolment.completion  # noqa: B018 (reading it is the test)

    assert len(queries) == 1
    assert enrolment is not None and enrolment.pk == expected.pk
    for field in Enrolment._meta.concrete_fields:
        assert getattr(enrolment, field.attname) == getattr(expected, field.attname), field.name
    assert keys == {first.translation_key, second.translation_key}
    assert enrolment._state.db == "default" and not enrolment._state.adding


def test_a_completed_enrolment_comes_with_its_completion(django_capture_on_commit_callbacks):
    course = make_course(lessons=1, quiz=False)
    learner = make_learner()
    services.enrol(learner, course)
    (lesson,) = lessons_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_lesson_done(learner, lesson)
    expected = CourseCompletion.objects.get(learner=learner)

    enrolment_for(learner, course)
    with CaptureQueriesContext(connection) as queries:
        enrolment = enrolment_for(learner, course)
        completion = enrolment.completion

    assert len(queries) == 1
    for field in CourseCompletion._meta.concrete_fields:
        assert getattr(completion, field.attname) == getattr(expected, field.attname), field.name
    assert completion.enrolment is enrolment
    assert done_keys(enrolment) == {lesson.translation_key}


def test_no_enrolment_is_none_and_a_learner_with_nothing_done_has_no_keys():
    course = make_course(lessons=2, quiz=False)
    other_course = make_course(course.get_parent().specific, lessons=1, quiz=False)
    learner = make_learner()
    assert enrolment_for(learner, course) is None
    services.enrol(learner, other_course)
    assert enrolment_for(learner, course) is None
    enrolment = enrolment_for(learner, other_course)
    assert enrolment is not None and done_keys(enrolment) == set()
