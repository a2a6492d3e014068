"""Render the PDFs that are missing, e.g. after a storage loss or a long worker outage."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from ... import pending
from ...models import Certificate
from ...tasks import render_certificate_pdf
from ..progress import progress


class Command(BaseCommand):
    help = "Render the PDF of every certificate that has none (here, or queued for the workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the work for the Celery workers instead of rendering in this process.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        missing = Certificate.objects.filter(Q(pdf="") | Q(pdf_rendered_at__isnull=True))
        ids = [str(pk) for pk in missing.values_list("pk", flat=True)]
        rendered = failed = 0
        for certificate_id in progress(ids, len(ids), self.stderr, "Rendering"):
            if options["queue"]:
                render_certificate_pdf.delay(certificate_id)
                rendered += 1
                continue
            try:
                # .run() renders here and now, without the task's retries.
                render_certificate_pdf.run(certificate_id)
            except Exception as error:  # noqa: BLE001 - one bad certificate must not stop the rest
                failed += 1
                self.stderr.write(f"Certificate {certificate_id}: {pending.describe(error)}")
            else:
                rendered += 1
        verb = "Queued" if options["queue"] else "Rendered"
        self.stdout.write(f"{verb} {rendered} PDF(s); {failed} failed; {len(ids)} were missing.")
        if failed:
            raise CommandError(f"{failed} PDF(s) could not be rendered; run again to retry.")
