"""The learners and their learning: accounts with their phone numbers, enrolments, lessons done,
quiz attempts, completions, and the certificates of those completions with their status entries.

The courses are the ones already published (``load_demo_data`` makes them). Built one chunk of
learners at a time, so memory stays bounded whatever the size.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from lms.accounts.models import LearnerPhone
from lms.certificates import codes, issuing, permutation
from lms.certificates.conf import app_settings as certificate_settings
from lms.certificates.models import Certificate, CertificateEvent, CertificateTemplate, StatusList
from lms.courses.models import CourseCompletion, CoursePage, Enrolment, LessonProgress, QuizAttempt
from maalem.core.phones import phone_digest

from .plan import Plan

FIRST_NAMES = ("Fatima", "Youssef", "Khadija", "Hassan", "Amina", "Omar", "Salma", "Rachid")
LAST_NAMES = ("El Amrani", "Aït Lahcen", "Bennis", "Ouazzani", "Tazi", "Alaoui", "Berrada")


@dataclass
class Course:
    key: uuid.UUID
    lesson_keys: list[uuid.UUID]
    quizzes: list[tuple[uuid.UUID, list[str]]]
    titles: dict[str, str]


def published_courses() -> list[Course]:
    """The published courses, one per translation group, as the learners will see them."""
    language = settings.LANGUAGE_CODE[:2]
    found: dict[uuid.UUID, Course] = {}
    pages = CoursePage.objects.live().filter(locale__language_code=language).order_by("path")
    for course in pages:
        lessons = list(course.get_children().live().specific().order_by("path"))
        found.setdefault(
            course.translation_key,
            Course(
                key=course.translation_key,
                lesson_keys=[lesson.translation_key for lesson in lessons],
                quizzes=[
                    (lesson.translation_key, [q.id for q in lesson.questions])
                    for lesson in lessons
                    if getattr(lesson, "questions", None)
                ],
                titles=issuing.course_titles(course.translation_key),
            ),
        )
    return [course for course in found.values() if course.lesson_keys]


class StatusEntries:
    """Status-list entries handed out as :mod:`lms.certificates.status_lists` would: the keyed
    permutation of each list, its counter moving on, a new list when one is full."""

    def __init__(self) -> None:
        self.size = certificate_settings.STATUS_LIST_SIZE
        self.current = StatusList.objects.order_by("-number").first()
        self.taken = set(Certificate.objects.values_list("status_list", "status_index"))
        self.opened: list[StatusList] = []

    def take(self) -> tuple[int, int]:
        while True:
            if self.current is None or self.current.is_full:
                number = self.current.number + 1 if self.current else 1
                self.current = StatusList(number=number, size=self.size)
                self.current.holds_older = any(n == number for n, _i in self.taken)
                self.opened.append(self.current)
            counter = self.current.allocated
            self.current.allocated += 1
            index = permutation.slot(bytes.fromhex(self.current.seed), self.size, counter)
            if (self.current.number, index) not in self.taken:
                return self.current.number, index

    def save(self) -> None:
        for status_list in self.opened:
            status_list.save()
        if self.current is not None and self.current not in self.opened:
            self.current.save(update_fields=["allocated"])


@dataclass
class Chunk:
    """The rows of one chunk of learners, per model, ready for COPY."""

    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    def add(self, instance: models.Model) -> None:
        self.rows.setdefault(type(instance), []).append(instance)


class LearnerFactory:
    def __init__(self, plan: Plan, courses: list[Course], first_ids: dict[str, int]) -> None:
        self.plan = plan
        self.courses = courses
        self.ids = dict(first_ids)
        self.entries = StatusEntries()
        self.password = make_password("maalem-scale-2026")
        self.now = timezone.now()
        template = issuing.current_template()
        self.template_revision_id = template.live_revision_id if template else None
        self.snapshot = template.snapshot() if template else CertificateTemplate.default_snapshot()
        lessons = sum(len(c.lesson_keys) for c in courses) / len(courses)
        quizzes = sum(len(c.quizzes) for c in courses) / len(courses)
        enrolments = plan.target("enrolments") or 1
        completions = plan.target("completions")
        # What is left once the completed enrolments have all their lessons and quizzes.
        self.lessons_each = max(0.0, plan.target("lessons_done") - completions * lessons) / max(
            1, enrolments - completions
        )
        self.failed_each = max(0.0, plan.target("quiz_attempts") - completions * quizzes) / max(
            1, enrolments * max(quizzes, 1)
        )

    def _id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name] - 1

    def build(self, numbers: range) -> Chunk:
        chunk = Chunk()
        rng = random.Random(numbers.start)
        for number in numbers:
            self._learner(chunk, rng, number)
        return chunk

    def _learner(self, chunk: Chunk, rng: random.Random, number: int) -> None:
        User = get_user_model()
        joined = self.now - timedelta(days=400, seconds=number)
        user = User(
            pk=self._id("user"),
            username=f"scale-{number:07d}",
            first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
            last_name=LAST_NAMES[number % len(LAST_NAMES)],
            password=self.password,
            date_joined=joined,
        )
        chunk.add(user)
        phone = f"+2126{number:08d}"
        chunk.add(
            LearnerPhone(
                pk=self._id("phone"),
                user_id=user.pk,
                phone=phone,
                phone_digest=phone_digest(phone),
                created_at=joined,
            )
        )
        first = self.courses[number % len(self.courses)]
        self._enrolment(chunk, rng, user, first, joined, self.plan.completes_first_course(number))
        if self.plan.second_course(number) and len(self.courses) > 1:
            second = self.courses[(number + 1) % len(self.courses)]
            self._enrolment(chunk, rng, user, second, joined, False)

    def _enrolment(
        self, chunk: Chunk, rng: random.Random, user: Any, course: Course, at: datetime, done: bool
    ) -> None:
        enrolment = Enrolment(
            pk=self._id("enrolment"), learner_id=user.pk, course_key=course.key, enrolled_at=at
        )
        count = len(course.lesson_keys)
        if not done:
            share = self.lessons_each
            count = min(count - 1, int(share) + (rng.random() < share - int(share)))
        for position, lesson_key in enumerate(course.lesson_keys[:count]):
            chunk.add(
                LessonProgress(
                    pk=self._id("progress"),
                    enrolment_id=enrolment.pk,
                    lesson_key=lesson_key,
                    completed_at=at + timedelta(hours=position + 1),
                )
            )
        if count:
            enrolment.last_lesson_key = course.lesson_keys[count - 1]
            enrolment.last_seen_at = at + timedelta(hours=count)
        chunk.add(enrolment)
        scores = []
        for lesson_key, questions in course.quizzes:
            number = 1
            if rng.random() < self.failed_each:
                self._attempt(chunk, enrolment, lesson_key, questions, number, False, at)
                number += 1
            if done:
                scores.append(
                    self._attempt(chunk, enrolment, lesson_key, questions, number, True, at)
                )
        if done:
            self._completion(chunk, user, enrolment, course, scores, at + timedelta(days=3))

    def _attempt(
        self,
        chunk: Chunk,
        enrolment: Enrolment,
        lesson_key: uuid.UUID,
        questions: list[str],
        number: int,
        passed: bool,
        at: datetime,
    ) -> int:
        results = {q: passed or position % 2 == 0 for position, q in enumerate(questions)}
        score = round(100 * sum(results.values()) / max(1, len(results)))
        chunk.add(
            QuizAttempt(
                pk=self._id("attempt"),
                enrolment_id=enrolment.pk,
                lesson_key=lesson_key,
                number=number,
                score=score,
                passed=passed,
                answers={q: [] for q in questions},
                results=results,
                submitted_at=at + timedelta(days=1, minutes=number),
            )
        )
        return score

    def _completion(
        self,
        chunk: Chunk,
        user: Any,
        enrolment: Enrolment,
        course: Course,
        scores: list[int],
        at: datetime,
    ) -> None:
        completion = CourseCompletion(
            learner_id=user.pk,
            course_key=course.key,
            enrolment_id=enrolment.pk,
            score=round(sum(scores) / len(scores)) if scores else None,
            completed_at=at,
        )
        chunk.add(completion)
        status_list, status_index = self.entries.take()
        certificate = Certificate(
            completion_id=completion.pk,
            learner_id=user.pk,
            course_key=course.key,
            course_titles=course.titles,
            learner_name=f"{user.first_name} {user.last_name}",
            code=codes.new_code(),
            issued_at=at,
            template_revision_id=self.template_revision_id,
            template_snapshot=self.snapshot,
            status_list=status_list,
            status_index=status_index,
        )
        chunk.add(certificate)
        chunk.add(
            CertificateEvent(
                pk=self._id("event"),
                certificate_id=certificate.pk,
                action=CertificateEvent.Action.ISSUED,
                at=at,
            )
        )
