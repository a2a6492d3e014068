"""What a trainer sees when previewing a lesson: the page as a learner who has just started the
course sees it.

The trainer is not enrolled, and the lesson may be a draft or not saved yet, so nothing here reads
anyone's progress: the lesson takes its place among the live lessons (where it will land once
published), no lesson is done, and a quiz has all its attempts left and can be answered.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail.models import Page

from .models import CoursePage, LessonPage
from .progress import CourseProgress, LessonState
from .quizzes import QuizRules
from .trainers import lands_before_final_quiz


def lesson_preview_context(lesson: LessonPage, request: HttpRequest) -> dict[str, Any]:
    course = CoursePage.objects.get(path=lesson.path[: -lesson.steplen])
    course_url = course.get_url(request) or ""
    siblings = list(
        Page.objects.child_of(course)
        .live()
        .exclude(pk=lesson.pk)
        .order_by("path")
        .values("id", "title", "slug", "translation_key", "path")
    )
    this_one = {
        "id": lesson.pk,
        "title": lesson.title,
        "slug": lesson.slug,
        "translation_key": lesson.translation_key,
        "path": lesson.path,
    }
    index = sum(1 for row in siblings if row["path"] < lesson.path)
    if lesson.pk is None and lands_before_final_quiz(course):
        index = min(index, len(siblings) - 1)
    siblings.insert(index, this_one)
    lessons = [
        LessonState(
            id=row["id"],
            title=row["title"],
            url=f"{course_url}{row['slug']}/",
            translation_key=row["translation_key"],
            number=number,
            done=False,
            current=number == index + 1,
        )
        for number, row in enumerate(siblings, start=1)
    ]
    context: dict[str, Any] = {
        "course": course,
        "progress": CourseProgress(course=course, enrolment=None, lessons=lessons),
        "position": lessons[index],
        "previous_lesson": lessons[index - 1] if index > 0 else None,
        "next_lesson": lessons[index + 1] if index + 1 < len(lessons) else None,
    }
    if lesson.is_quiz:
        context["quiz"] = {
            "rules": QuizRules(
                attempts_allowed=course.max_quiz_attempts, attempts_used=0, passed=False
            ),
            "attempt": None,
            "feedback": [],
            "can_submit": True,
            "pass_mark": course.pass_mark,
        }
    return context
