from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms.courses.models import CourseIndexPage
from lms.courses.trainers import describe_setup, setup_trainers_group


class Command(BaseCommand):
    help = (
        "Create or complete the Trainers group: admin access, page permissions on the course "
        "catalogues, media uploads, the progress report, and the moderators' course review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--catalogue-id",
            type=int,
            help="Only this course catalogue (a CourseIndexPage id); by default every catalogue.",
        )

    def handle(self, *args: Any, catalogue_id: int | None = None, **options: Any) -> None:
        catalogues = CourseIndexPage.objects.order_by("path")
        if catalogue_id is not None:
            catalogues = catalogues.filter(pk=catalogue_id)
            if not catalogues.exists():
                raise CommandError(f"No course catalogue has the id {catalogue_id}.")
        if not catalogues.exists():
            raise CommandError("There is no course catalogue yet; create one first.")
        for catalogue in catalogues:
            group = setup_trainers_group(catalogue)
            self.stdout.write(describe_setup(group, catalogue))
