"""What learners do: enrol, open lessons, finish them and answer quizzes.

Views call these functions; they hold the rules. Every write to a learner's progress in a course
happens under a row lock on their enrolment, so two phones acting at once are applied one after
the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import completion, rollups
from .blocks import QuestionKind
from .models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt
from .progress import missing_prerequisites
from .quizzes import QuizRules, quiz_rules


class LearningError(Exception):
    """A request the rules refuse; ``message`` is written for the learner."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PrerequisitesMissing(LearningError):
    def __init__(self, missing: Sequence[CoursePage]) -> None:
        titles = ", ".join(course.title for course in missing)
        super().__init__(_("Complete these courses first: %(titles)s") % {"titles": titles})
        self.missing = list(missing)


class NotEnrolled(LearningError):
    pass


class QuizRejected(LearningError):
    """A quiz submission that no honest form could produce, or one past the rules."""


class QuizIncomplete(LearningError):
    def __init__(self, unanswered: Sequence[str]) -> None:
        super().__init__(_("Answer every question before you submit."))
        self.unanswered = list(unanswered)


def enrol(learner: Any, course: CoursePage) -> Enrolment:
    """Enrol ``learner`` in ``course``; enrolling twice returns the first enrolment."""
    existing = Enrolment.objects.filter(learner=learner, course_key=course.translation_key).first()
    if existing:
        return existing
    missing = missing_prerequisites(learner, course)
    if missing:
        raise PrerequisitesMissing(missing)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(learner=learner, course_key=course.translation_key)
            rollups.count_enrolment(enrolment)
            return enrolment
    except IntegrityError:
        return Enrolment.objects.get(learner=learner, course_key=course.translation_key)


#: How stale "last seen" may get before a repeat visit of the same lesson writes it again.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)


def record_visit(enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember the lesson a learner last opened, so they can resume there.

    Re-reading the same lesson writes nothing until "last seen" is stale: page views stay
    read-only for the database most of the time.
    """
    now = timezone.now()
    if (
        enrolment.last_lesson_key == lesson.translation_key
        and enrolment.last_seen_at
        and now - enrolment.last_seen_at < LAST_SEEN_RESOLUTION
    ):
        return
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson_key=lesson.translation_key, last_seen_at=now
    )
    enrolment.last_lesson_key, enrolment.last_seen_at = lesson.translation_key, now


def _locked_enrolment(learner: Any, course: CoursePage) -> Enrolment:
    try:
        return Enrolment.objects.select_for_update().get(
            learner=learner, course_key=course.translation_key
        )
    except Enrolment.DoesNotExist:
        raise not_enrolled() from None


def not_enrolled() -> NotEnrolled:
    return NotEnrolled(_("Start the course before working on its lessons."))


def mark_lesson_done(learner: Any, lesson: LessonPage) -> Enrolment:
    """Mark a reading lesson done; the last one completes the course."""
    check_reading_lesson(lesson)
    course = lesson.get_course()
    with transaction.atomic():
        enrolment = _locked_enrolment(learner, course)
        LessonProgress.objects.get_or_create(enrolment=enrolment, lesson_key=lesson.translation_key)
        completion.complete_course_if_finished(enrolment, course)
    return enrolment


def parse_answers(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Read ``q-<question id>`` fields of a submitted quiz form into question id -> option ids."""
    answers: dict[str, list[str]] = {}
    getlist = getattr(data, "getlist", None)
    for key in data:
        if not key.startswith("q-"):
            continue
        values = getlist(key) if getlist else data[key]
        if isinstance(values, str):
            values = [values]
        answers[key[2:]] = [str(v) for v in values if str(v)]
    return answers


def _check_answers(lesson: LessonPage, answers: Mapping[str, Sequence[str]]) -> None:
    questions = {question.id: question for question in lesson.questions}
    for question_id, chosen in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise QuizRejected(_("An answer was sent for a question that is not in this quiz."))
        option_ids = {option.id for option in question.value["options"].bound_blocks}
        if not set(chosen) <= option_ids:
            raise QuizRejected(_("An answer was sent that is not one of the question's choices."))
        if len(set(chosen)) != len(chosen):
            raise QuizRejected(_("The same answer was sent twice."))
        if question.value["kind"] != QuestionKind.MULTIPLE and len(chosen) > 1:
            raise QuizRejected(_("Only one answer can be chosen for this question."))
    unanswered = [qid for qid in questions if not answers.get(qid)]
    if unanswered:
        raise QuizIncomplete(unanswered)


def grade(lesson: LessonPage, answers: Mapping[str, Sequence[str]]) -> tuple[int, dict[str, bool]]:
    """Score a complete, checked set of answers: percent right, and right or wrong per question."""
    results: dict[str, bool] = {}
    for question in lesson.questions:
        correct = {o.id for o in question.value["options"].bound_blocks if o.value["correct"]}
        results[question.id] = set(answers.get(question.id, ())) == correct
    score = round(100 * sum(results.values()) / len(results)) if results else 0
    return score, results


def check_attempt_allowed(rules: QuizRules) -> None:
    """Raise ``QuizRejected`` if the rules leave the learner no attempt at this quiz."""
    if rules.passed:
        raise QuizRejected(_("You have already passed this quiz."))
    if rules.attempts_left == 0:
        raise QuizRejected(
            ngettext(
                "You have used your %(count)d attempt at this quiz. Ask your trainer for help.",
                "You have used all %(count)d attempts at this quiz. Ask your trainer for help.",
                rules.attempts_allowed,
            )
            % {"count": rules.attempts_allowed}
        )


def check_reading_lesson(lesson: LessonPage) -> None:
    """Raise ``QuizRejected`` for a quiz lesson: only passing its quiz finishes it."""
    if lesson.is_quiz:
        raise QuizRejected(_("Pass the quiz to finish this lesson."))


def check_quiz_answers(lesson: LessonPage, answers: Mapping[str, Sequence[str]]) -> None:
    """Raise unless ``lesson`` is a quiz and ``answers`` a complete, honest set for it."""
    if not lesson.is_quiz:
        raise QuizRejected(_("This lesson has no quiz."))
    _check_answers(lesson, answers)


def submit_quiz(
    learner: Any, lesson: LessonPage, answers: Mapping[str, Sequence[str]]
) -> QuizAttempt:
    """Grade a quiz on the server and record the attempt.

    Raises ``QuizRejected`` for a submission the rules refuse (nothing is recorded) and
    ``QuizIncomplete`` when a question has no answer (no attempt is used).
    """
    check_quiz_answers(lesson, answers)
    course = lesson.get_course()
    score, results = grade(lesson, answers)
    with transaction.atomic():
        enrolment = _locked_enrolment(learner, course)
        rules = quiz_rules(enrolment, lesson, course)
        check_attempt_allowed(rules)
        attempt = QuizAttempt.objects.create(
            enrolment=enrolment,
            lesson_key=lesson.translation_key,
            number=rules.attempts_used + 1,
            score=score,
            passed=score >= course.pass_mark,
            answers={qid: list(chosen) for qid, chosen in answers.items()},
            results=results,
        )
        rollups.count_attempts([attempt])
        if attempt.passed:
            LessonProgress.objects.get_or_create(
                enrolment=enrolment, lesson_key=lesson.translation_key
            )
            completion.complete_course_if_finished(enrolment, course)
    return attempt
