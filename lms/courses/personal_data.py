"""What courses hold about a learner: her enrolments, the lessons she finished, her quiz answers.

Erasing deletes her progress, quiz attempts and synced events. Enrolments with a completion
stay, bound to the pseudonymised account, as her certificates rest on them; they hold no more
than which course and when.
"""

from __future__ import annotations

from typing import Any

from maalem.core.personal_data import Section

from . import rollups
from .models import CourseCompletion, Enrolment, LessonProgress, QuizAttempt, SyncEvent


def export(user: Any) -> Section:
    enrolments = []
    for enrolment in Enrolment.objects.filter(learner_id=user.pk).order_by("pk"):
        enrolments.append(
            {
                "course_key": enrolment.course_key,
                "enrolled_at": enrolment.enrolled_at,
                "last_seen_at": enrolment.last_seen_at,
                "lessons_done": list(
                    enrolment.lessons_done.order_by("pk").values("lesson_key", "completed_at")
                ),
                "quiz_attempts": list(
                    enrolment.quiz_attempts.values(
                        "lesson_key", "number", "score", "passed", "answers", "submitted_at"
                    )
                ),
            }
        )
    completions = CourseCompletion.objects.filter(learner_id=user.pk).order_by("completed_at")
    return Section(
        data={
            "enrolments": enrolments,
            "completions": list(completions.values("course_key", "score", "completed_at")),
        }
    )


def erase(user: Any, *, keep_certificates: bool) -> list[str]:
    enrolments = Enrolment.objects.filter(learner_id=user.pk)
    rollups.uncount_learner(user.pk)
    LessonProgress.objects.filter(enrolment__in=enrolments).delete()
    QuizAttempt.objects.filter(enrolment__in=enrolments).delete()
    SyncEvent.objects.filter(learner_id=user.pk).delete()
    enrolments.filter(completion__isnull=True).delete()
    enrolments.update(last_lesson_key=None, last_seen_at=None)
    return ["progress", "quiz_attempts", "synced_events"]
