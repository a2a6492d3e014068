"""``manage.py rebuild_report_rollups``: count the progress report's totals again, from the records.

Safe to run at any time and as often as wanted (it gives the same totals twice in a row), for
example nightly from cron or the scheduler, to put right any drift: it prints which courses' totals
it corrected. ``--check`` only says whether they drifted, and exits with status 1 if they did.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lms.courses.models import (
    CourseCompletion,
    CourseRollup,
    Enrolment,
    QuestionRollup,
    QuizAttempt,
)
from lms.courses.rollup_rebuild import DEFAULT_BATCH, rebuild
from lms.courses.rollups import current_totals


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Count again the totals of the learner progress report (enrolled, completed, quiz "
        "attempts and scores, failed questions) from the learners' records, a range of "
        "enrolments at a time, and say which courses had drifted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH,
            help=f"enrolment ids counted per statement (default {DEFAULT_BATCH:,})",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit with status 1 if the totals have drifted",
        )

    def handle(self, *args: Any, batch_size: int, check: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError(
                f"--batch-size must be a whole number of 1 or more, not {batch_size}."
            )
        started = time.monotonic()
        drifted: list[str] = []
        try:
            with transaction.atomic():
                before = current_totals()
                done = rebuild(
                    CourseRollup,
                    QuestionRollup,
                    Enrolment,
                    CourseCompletion,
                    QuizAttempt,
                    batch_size=batch_size,
                    progress=self._progress if options["verbosity"] > 1 else None,
                )
                after = current_totals()
                drifted = sorted(
                    str(key)
                    for key in before.keys() | after.keys()
                    if before.get(key) != after.get(key)
                )
                if check:
                    raise _DryRun
        except _DryRun:
            pass
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{done.courses} courses: {done.enrolments:,} enrolments, {done.completions:,} "
            f"completions, {done.quiz_attempts:,} quiz attempts, {done.failures:,} wrong answers, "
            f"counted in {done.batches} batches in {elapsed:.1f} s."
        )
        if not drifted:
            self.stdout.write(self.style.SUCCESS("The totals were right."))
            return
        verb = "have drifted" if check else "were corrected"
        self.stdout.write(self.style.WARNING(f"The totals of {len(drifted)} course(s) {verb}:"))
        for key in drifted:
            self.stdout.write(f"  {key}")
        if check:
            raise SystemExit(1)

    def _progress(self, done: int, last: int) -> None:
        self.stdout.write(f"  enrolments up to id {done:,} of {last:,}")
