"""The demo's people: the administrator, a trainer, and learners at different stages.

Learner progress is made only through :mod:`lms.courses.services`, as a learner's phone would;
a learner who already has progress is left as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from lms.courses import services, trainers
from lms.courses.models import CoursePage, Enrolment, LessonPage

from .courses import in_prerequisite_order
from .site import SOURCE_LANGUAGE, DemoSite, languages

# Documented in the README; a demo site is never a production site.
DEMO_PASSWORD = "maalem-demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    story: str


ADMIN = DemoUser("admin", "Nadia", "Alaoui", "site administrator")
TRAINER = DemoUser("trainer", "Samira", "Bennani", "trainer, writes courses in the admin")
FATIMA = DemoUser("fatima", "Fatima Zahra", "El Amrani", "new learner, enrolled in nothing")
YOUSSEF = DemoUser("youssef", "Youssef", "Aït Lahcen", "reads Arabic; 1 lesson of course 1 done")
KHADIJA = DemoUser("khadija", "Khadija", "Bennis", "completed course 1; failed the course 2 quiz")
HASSAN = DemoUser("hassan", "Hassan", "Ouazzani", "finished the whole learning path")
LEARNERS = (FATIMA, YOUSSEF, KHADIJA, HASSAN)


def ensure_user(person: DemoUser, **flags: Any) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=person.username).first()
    if user is None:
        user = user_model(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@example.com",
            **flags,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def ensure_staff(site: DemoSite) -> None:
    ensure_user(ADMIN, is_staff=True, is_superuser=True)
    trainer = ensure_user(TRAINER)
    group = None
    for language in languages():
        group = trainers.setup_trainers_group(site.catalogues[language])
    trainers.grant_trainer(trainer, group)


def complete_course(learner: Any, course: CoursePage) -> None:
    services.enrol(learner, course)
    for lesson in course.lessons():
        if lesson.is_quiz:
            services.submit_quiz(learner, lesson, correct_answers(lesson))
        else:
            services.mark_lesson_done(learner, lesson)


def correct_answers(lesson: LessonPage) -> dict[str, list[str]]:
    return {
        question.id: [
            option.id
            for option in question.value["options"].bound_blocks
            if option.value["correct"]
        ]
        for question in lesson.questions
    }


def wrong_answers(lesson: LessonPage) -> dict[str, list[str]]:
    """One wrong answer per question: every question is failed."""
    return {
        question.id: [
            next(
                option.id
                for option in question.value["options"].bound_blocks
                if not option.value["correct"]
            )
        ]
        for question in lesson.questions
    }


def ensure_learners(content: dict[str, Any], site: DemoSite) -> None:
    """Each learner at their stage; a learner who already has progress is left as they are."""
    ordered = [course["slug"] for course in in_prerequisite_order(content["courses"])]
    first, second = (course["slug"] for course in content["courses"][:2])
    french = site.courses[SOURCE_LANGUAGE]
    arabic = site.courses["ar"]

    def youssef(learner: Any) -> None:
        # He reads Arabic, so his lesson is the Arabic one; the progress is the same course's.
        course = arabic[first]
        services.enrol(learner, course)
        first_lesson = course.lessons().first()
        if first_lesson is not None:
            services.mark_lesson_done(learner, first_lesson)

    def khadija(learner: Any) -> None:
        complete_course(learner, french[first])
        course = french[second]
        services.enrol(learner, course)
        for lesson in course.lessons():
            if lesson.is_quiz:
                services.submit_quiz(learner, lesson, wrong_answers(lesson))
            else:
                services.mark_lesson_done(learner, lesson)

    def hassan(learner: Any) -> None:
        for slug in ordered:
            complete_course(learner, french[slug])

    stories: dict[str, Callable[[Any], None]] = {
        YOUSSEF.username: youssef,
        KHADIJA.username: khadija,
        HASSAN.username: hassan,
    }
    for person in LEARNERS:
        learner = ensure_user(person)
        story = stories.get(person.username)
        if story is None or Enrolment.objects.filter(learner=learner).exists():
            continue
        story(learner)
