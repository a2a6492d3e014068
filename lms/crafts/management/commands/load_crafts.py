from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms.crafts.loading import STARTER_CSV, CraftsCSVError, load_crafts_csv


class Command(BaseCommand):
    help = (
        "Load categories, production chains and crafts from a UTF-8 CSV file, matching on codes. "
        "Nothing changes unless every row is valid. Without a path, loads the starter list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", type=Path, default=STARTER_CSV, help="CSV file to load"
        )

    def handle(self, *args: object, path: Path, **options: object) -> None:
        try:
            summary = load_crafts_csv(path)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except CraftsCSVError as error:
            raise CommandError(
                f"{path}: nothing was loaded, fix these rows first:\n{error}"
            ) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
