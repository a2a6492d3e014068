import threading

import pytest
from django.db import connection, connections, transaction

from lms.courses import services
from lms.courses.completion import complete_course_if_finished
from lms.courses.models import CourseCompletion, Enrolment, LessonProgress
from lms.courses.signals import course_completed
from tests.builders import correct_answers, lessons_of, make_course, make_learner


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    course_completed.connect(receiver, dispatch_uid="test-receiver")
    yield calls
    course_completed.disconnect(dispatch_uid="test-receiver")


def finish_all_but_last(learner, course):
    services.enrol(learner, course)
    lessons = lessons_of(course)
    for lesson in lessons[:-1]:
        services.mark_lesson_done(learner, lesson)
    return lessons[-1]


@pytest.mark.django_db
def test_the_last_lesson_completes_the_course_and_announces_it_after_the_commit(
    django_capture_on_commit_callbacks, received
):
    course = make_course(lessons=2, quiz=False)
    learner = make_learner()
    last = finish_all_but_last(learner, course)
    assert not CourseCompletion.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.mark_lesson_done(learner, last)
    assert received == []  # nothing is announced before the commit
    for callback in callbacks:
        callback()

    completion = CourseCompletion.objects.get()
    assert completion.learner == learner
    assert completion.course_key == course.translation_key
    assert [(call["completion"], call["course_key"]) for call in received] == [
        (completion, course.translation_key)
    ]


@pytest.mark.django_db
def test_a_passed_quiz_as_the_last_lesson_completes_with_its_score(
    django_capture_on_commit_callbacks, received
):
    course = make_course(lessons=1, quiz=True)
    learner = make_learner()
    quiz = finish_all_but_last(learner, course)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_quiz(learner, quiz, correct_answers(quiz))
    assert CourseCompletion.objects.get().score == 100
    assert len(received) == 1


@pytest.mark.django_db
def test_doing_a_lesson_again_completes_nothing_twice(django_capture_on_commit_callbacks, received):
    course = make_course(lessons=2, quiz=False)
    learner = make_learner()
    last = finish_all_but_last(learner, course)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_lesson_done(learner, last)
        services.mark_lesson_done(learner, last)
        services.mark_lesson_done(learner, lessons_of(course)[0])
    assert CourseCompletion.objects.count() == 1
    assert len(received) == 1


@pytest.mark.django_db
def test_an_unfinished_course_is_not_complete():
    course = make_course(lessons=3, quiz=False)
    learner = make_learner()
    finish_all_but_last(learner, course)
    assert not CourseCompletion.objects.exists()
    assert LessonProgress.objects.count() == 2


@pytest.mark.django_db
def test_a_rolled_back_completion_is_never_announced(django_capture_on_commit_callbacks, received):
    course = make_course(lessons=1, quiz=False)
    learner = make_learner()
    services.enrol(learner, course)
    LessonProgress.objects.create(
        enrolment=Enrolment.objects.get(), lesson_key=lessons_of(course)[0].translation_key
    )
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.select_for_update().get()
                assert complete_course_if_finished(enrolment, course) is not None
                raise RuntimeError("the request failed after the completion was written")
        except RuntimeError:
            pass
    assert not CourseCompletion.objects.exists()
    assert received == []


@pytest.mark.django_db(transaction=True)
def test_completion_refuses_to_run_outside_a_transaction():
    course = make_course(lessons=1, quiz=False)
    learner = make_learner()
    enrolment = services.enrol(learner, course)
    with pytest.raises(RuntimeError, match="atomic"):
        complete_course_if_finished(enrolment, course)


@pytest.mark.django_db
def test_a_failing_receiver_does_not_undo_the_completion(
    django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise ValueError("receiver bug")

    course_completed.connect(broken, dispatch_uid="broken")
    try:
        course = make_course(lessons=1, quiz=False)
        learner = make_learner()
        last = finish_all_but_last(learner, course)
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_lesson_done(learner, last)
    finally:
        course_completed.disconnect(dispatch_uid="broken")
    assert CourseCompletion.objects.count() == 1
    assert "receiver" in caplog.text and "failed" in caplog.text


PHONES = 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("final_step", ["reading lesson", "quiz"])
def test_the_same_learner_finishing_from_several_phones_at_once_completes_once(
    final_step, received
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite serialises every writer anyway")
    course = make_course(lessons=2, quiz=final_step == "quiz")
    learner = make_learner()
    last = finish_all_but_last(learner, course)
    answers = correct_answers(last) if final_step == "quiz" else None
    barrier = threading.Barrier(PHONES)
    outcomes: list[str] = []

    def phone() -> None:
        try:
            barrier.wait(timeout=10)
            if answers is None:
                services.mark_lesson_done(learner, last)
            else:
                services.submit_quiz(learner, last, answers)
            outcomes.append("ok")
        except services.QuizRejected:
            outcomes.append("already passed")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=phone) for _ in range(PHONES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == PHONES
    assert CourseCompletion.objects.filter(learner=learner).count() == 1
    assert len(received) == 1
    if final_step == "quiz":
        assert outcomes.count("ok") == 1  # the other phones are told it is already passed
