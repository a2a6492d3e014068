"""``manage.py purge_expired_data [--dry-run]``: delete what is past its retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maalem.core.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Delete the personal data kept past its retention period (drafts, rejected "
        "applications, replaced photos, webhook payloads, sign-in codes) and print how many "
        "items of each kind went. With --dry-run, only count them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        counts = purge_expired(dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {verb} {count}")
