"""What a learner sees of a quiz: the rules left for them, and the feedback on an attempt.

Read-only: grading and recording an attempt are :func:`lms.courses.services.submit_quiz`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .models import CoursePage, Enrolment, LessonPage, QuizAttempt


@dataclass(frozen=True)
class QuizRules:
    attempts_allowed: int
    attempts_used: int
    passed: bool

    @property
    def attempts_left(self) -> int:
        return max(self.attempts_allowed - self.attempts_used, 0)


def quiz_rules(enrolment: Enrolment | None, lesson: LessonPage, course: CoursePage) -> QuizRules:
    attempts = (
        list(QuizAttempt.objects.filter(enrolment=enrolment, lesson_key=lesson.translation_key))
        if enrolment
        else []
    )
    return QuizRules(
        attempts_allowed=course.max_quiz_attempts,
        attempts_used=len(attempts),
        passed=any(a.passed for a in attempts),
    )


def quiz_context(
    lesson: LessonPage, course: CoursePage, enrolment: Enrolment | None, request: HttpRequest
) -> dict[str, Any]:
    rules = quiz_rules(enrolment, lesson, course)
    attempt = None
    shown = request.GET.get("attempt", "")
    if enrolment is not None and shown.isdigit():
        attempt = QuizAttempt.objects.filter(
            enrolment=enrolment, lesson_key=lesson.translation_key, number=int(shown)
        ).first()
    context: dict[str, Any] = {
        "quiz": {
            "rules": rules,
            "attempt": attempt,
            "feedback": feedback_for(lesson, attempt) if attempt else [],
            "can_submit": enrolment is not None and not rules.passed and rules.attempts_left > 0,
            "pass_mark": course.pass_mark,
            "wrong": [],
        }
    }
    if attempt is not None and not attempt.passed:
        # The graded page keeps the learner's answers ticked, and marks the questions to
        # think again about: the next attempt changes only those.
        context["chosen"] = dict(attempt.answers)
        context["quiz"]["wrong"] = [qid for qid, right in attempt.results.items() if not right]
    return context


def feedback_for(lesson: LessonPage, attempt: QuizAttempt) -> list[dict[str, Any]]:
    """For each question: the learner's answers, whether each was right, and its feedback.

    The correct answers of a failed question are not revealed, so the next attempt still
    teaches something.
    """
    rows = []
    for question in lesson.questions:
        chosen = set(attempt.answers.get(question.id, []))
        rows.append(
            {
                "prompt": question.value["prompt"],
                "correct": attempt.results.get(question.id, False),
                "answers": [
                    {
                        "text": option.value["text"],
                        "correct": option.value["correct"],
                        "feedback": option.value["feedback"],
                    }
                    for option in question.value["options"].bound_blocks
                    if option.id in chosen
                ],
            }
        )
    return rows
