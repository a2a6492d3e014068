"""Issue the missing certificates of a course's cohort, e.g. after a course was imported with its
learners' completions, or after the certificate app was installed on a running site."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms.courses.models import CourseCompletion

from ... import issuing
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
        for _completion, certificate in progress(
            issuing.issue_missing(course_key), total, self.stderr, "Issuing"
        ):
            if certificate is None:
                already += 1
            else:
                issued += 1
        self.stdout.write(
            f"Issued {issued} certificate(s); {already} already had one. "
            f"{CourseCompletion.objects.filter(course_key=course_key).count()} completion(s) "
            "in this course. The PDFs are rendered by the Celery workers."
        )
