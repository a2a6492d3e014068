"""``manage.py reencrypt_applicants``: rewrite every applicant's personal data with the newest key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onboarding.key_rotation import reencrypt_profiles


class Command(BaseCommand):
    help = (
        "Rewrite every applicant's encrypted national ID, phone and RIB with the first key of "
        "SALT_KEY. Run it after putting a new key first; then the old keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=500, help="rows read from the database at a time"
        )

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        count = reencrypt_profiles(batch_size=batch_size)
        self.stdout.write(f"{count} applicant(s) rewritten with the newest key.")
