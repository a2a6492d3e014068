"""``manage.py load_demo_data``: the demo site, in French, Arabic and English.

Safe to run again: it only adds what is missing. See :mod:`demo.loading`.
"""

from typing import Any

from django.core.management.base import BaseCommand

from demo import loading


class Command(BaseCommand):
    help = (
        "Build the demo site: the 'Sell online' courses in French, Arabic and English, a "
        "learning path, a trainer and learners at different stages. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        site = loading.build_demo_site(loading.load_content())
        summary = loading.summarise(site)
        for note in summary.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write("Language  pages  courses  lessons")
        for code, pages in summary.pages_per_language.items():
            self.stdout.write(
                f"{code:<8}  {pages:>5}  {summary.courses_per_language[code]:>7}"
                f"  {summary.lessons_per_language[code]:>7}"
            )
        self.stdout.write("Learners:")
        for person in summary.learners:
            self.stdout.write(
                f"  {person.username:<8} {person.first_name} {person.last_name}: {person.story}"
            )
        self.stdout.write(
            f"Sign in as {', '.join(summary.sign_in_names)} with the password {summary.password}"
        )
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
