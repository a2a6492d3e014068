"""``manage.py erase_withdrawn_applicants``: erase the personal data of withdrawn applicants
whose retention period (``ONBOARDING_ERASE_AFTER_DAYS``) is over. Run it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onboarding.conf import app_settings
from onboarding.erasure import erase_withdrawn


class Command(BaseCommand):
    help = (
        "Blank the national ID, phone numbers, RIB and photo of applicants who withdrew their "
        "consent more than ONBOARDING_ERASE_AFTER_DAYS days ago; keep a record naming no one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="only list the cases that would be erased"
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        erasure = erase_withdrawn(dry_run=dry_run)
        cases = ", ".join(str(case_id) for case_id in erasure.case_ids) or "none"
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(
            f"{len(erasure.case_ids)} withdrawn applicant(s) {verb} "
            f"(retention {app_settings.ERASE_AFTER_DAYS} days); cases: {cases}."
        )
