"""Issue the missing certificates of a course's cohort, e.g. after a course was imported with its
learners' completions, or after the certificate app was installed on a running site.

One failure does not stop the run: the summary counts what was issued, what already had a
certificate and what failed (with the reasons, never a learner's data), and the command exits
non-zero when anything failed."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms.courses.models import CourseCompletion

from ... import issuing, pending
from ..progress import progress


class Command(BaseCommand):
    help = "Issue a certificate for every completion of a course that has none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--course-key", required=True, help="translation_key of the course (a UUID)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            course_key = uuid.UUID(options["course_key"])
        except ValueError as error:
            raise CommandError(
                "--course-key must be a UUID (the course's translation key)."
            ) from error
        total = CourseCompletion.objects.filter(
            course_key=course_key, certificates__isnull=True
        ).count()
        issued = already = 0
        reasons: Counter[str] = Counter()
        for completion, outcome in progress(
            issuing.issue_missing(course_key), total, self.stderr, "Issuing"
        ):
            if isinstance(outcome, Exception):
                reasons[pending.describe(outcome)] += 1
                self.stderr.write(f"Completion {completion.pk}: {pending.describe(outcome)}")
            elif outcome is None:
                already += 1
            else:
                issued += 1
        failed = sum(reasons.values())
        self.stdout.write(
            f"Issued {issued} certificate(s); {already} already had one; {failed} failed. "
            f"{CourseCompletion.objects.filter(course_key=course_key).count()} completion(s) "
            "in this course. The PDFs are rendered by the Celery workers."
        )
        for reason, count in reasons.most_common():
            self.stdout.write(f"  {count} × {reason}")
        if failed:
            raise CommandError(f"{failed} certificate(s) could not be issued; run again to retry.")
