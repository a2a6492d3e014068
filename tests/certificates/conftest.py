import pytest
from django.core.cache import cache

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
