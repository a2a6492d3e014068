"""``manage.py load_scale_data --learners 420000``: a national-size dataset, written with COPY.

It adds, on top of the demo site's courses and marketplace (``load_demo_data``), learners with
their enrolments, lessons done, quiz attempts, completions and certificates, onboarding cases
with their timelines, and live seller pages, every count in proportion to ``--learners`` (see
:mod:`demo.scale.plan`). The progress report's totals are then counted again from the rows. PostgreSQL only. All or nothing: one transaction.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model
from tqdm import tqdm
from wagtail.models import Page

from demo.scale import copying, reset
from demo.scale.learning import LearnerFactory, published_courses
from demo.scale.people import CaseFactory
from demo.scale.plan import Plan
from lms.accounts.models import LearnerPhone
from lms.certificates.models import CertificateEvent
from lms.courses.models import (
    CourseCompletion,
    CourseRollup,
    Enrolment,
    LessonProgress,
    QuestionRollup,
    QuizAttempt,
)
from lms.courses.rollup_rebuild import rebuild
from onboarding.marketplace.backend import marketplace_index
from onboarding.models import ApplicantProfile, CaseTransition, OnboardingCase

CHUNK = 5_000


class Command(BaseCommand):
    help = (
        "Fill a PostgreSQL database with a national-size dataset (420,000 learners by default) "
        "by COPY, on top of the demo site's courses. Refuses a database that already has one "
        "unless --reset is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=420_000)
        parser.add_argument(
            "--reset", action="store_true", help="remove a dataset loaded before, then load"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "load_scale_data writes with PostgreSQL's COPY: set DATABASE_URL to a "
                f"PostgreSQL database (this one is {connection.vendor})."
            )
        learners = options["learners"]
        if learners < 1:
            raise CommandError("--learners must be at least 1.")
        courses = published_courses()
        if not courses:
            raise CommandError("No published course: run manage.py load_demo_data first.")
        started = time.monotonic()
        with transaction.atomic():
            if get_user_model().objects.filter(username__startswith=reset.PREFIX).exists():
                if not options["reset"]:
                    raise CommandError(
                        "This database already holds a scale dataset: add --reset to replace it."
                    )
                reset.remove_dataset()
            totals = self._load(Plan(learners), courses, not options["no_progress"])
        elapsed = time.monotonic() - started
        for model, count in totals.items():
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {learners:,} learners in {elapsed:.0f} s."))

    def _load(self, plan: Plan, courses: list[Any], progress: bool) -> dict[type[Model], int]:
        User = get_user_model()
        models = {
            "user": User,
            "phone": LearnerPhone,
            "enrolment": Enrolment,
            "progress": LessonProgress,
            "attempt": QuizAttempt,
            "event": CertificateEvent,
            "case": OnboardingCase,
            "transition": CaseTransition,
            "applicant": ApplicantProfile,
            "page": Page,
        }
        marketplace_index()  # made first if missing, so its pages come before the new ids
        first_ids = {name: copying.next_id(model) for name, model in models.items()}
        factory = LearnerFactory(plan, courses, first_ids)
        cases = CaseFactory(plan, first_ids)
        totals: dict[type[Model], int] = {}
        with tqdm(total=plan.learners, unit="learner", disable=not progress) as bar:
            for start in range(0, plan.learners, CHUNK):
                numbers = range(start, min(start + CHUNK, plan.learners))
                chunk = factory.build(numbers)
                for number in numbers:
                    cases.add(chunk, number, first_ids["user"] + number)
                for model, rows in chunk.rows.items():
                    totals[model] = totals.get(model, 0) + copying.copy_rows(model, rows)
                bar.update(len(numbers))
        factory.entries.save()
        cases.finish()
        copying.reset_sequences([*models.values(), *totals])
        # COPY goes around the services that keep the progress report's totals: count them.
        rebuild(CourseRollup, QuestionRollup, Enrolment, CourseCompletion, QuizAttempt)
        # Statistics now, not when autovacuum gets round to it: until then the planner takes the
        # copied tables for empty ones and picks plans (and JIT compiling) for the wrong size.
        with connection.cursor() as cursor:
            for model in {*models.values(), *totals, CourseRollup, QuestionRollup}:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        return totals
