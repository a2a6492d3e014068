"""What an export of onboarding cases costs in memory and time, as it was and as it streams now.

Run it from the repository root:

    PYTHONPATH=$PWD .venv/bin/python bench/exports.py [--sizes 10000 40000]

It builds a throwaway SQLite site in a temporary folder (so it never touches var/ or a
DATABASE_URL) with cases and their applications written by bulk_create, then exports the case
list as CSV and XLSX through the admin. For each size it prints, side by side, the peak Python
memory (tracemalloc) and the time of:

- old: Wagtail's export as the case list used it, every row loaded (and counted) before the
  first byte, the XLSX built in a BytesIO;
- new: the rows read with iterator() and written as read, the XLSX through a temporary file.

The new peak should stay flat as the number of rows grows; the old one grows with it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MAALEM_VAR_DIR"] = tempfile.mkdtemp(prefix="maalem-bench-exports-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "true"
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import resolve  # noqa: E402
from wagtail.admin.views.mixins import SpreadsheetExportMixin  # noqa: E402

from onboarding.models import ApplicantProfile, OnboardingCase  # noqa: E402
from tests.builders import make_learner  # noqa: E402
from tests.onboarding.onboarding_builders import make_craft  # noqa: E402

CASES = "/admin/onboarding/cases/"


def add_cases(count: int) -> None:
    User = get_user_model()
    craft = make_craft()
    start = OnboardingCase.objects.count()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"bench-{start + n}", password="!") for n in range(count)],
            batch_size=2000,
        )
        cases = OnboardingCase.objects.bulk_create(
            [OnboardingCase(learner=user) for user in users], batch_size=2000
        )
        ApplicantProfile.objects.bulk_create(
            [
                ApplicantProfile(
                    case=case, shop_name=f"Atelier {case.pk}", region="Fès-Meknès", craft=craft
                )
                for case in cases
            ],
            batch_size=2000,
        )


def measure(send: Callable[[], Any]) -> tuple[float, float, int]:
    """Seconds and peak MiB of Python memory to produce and read the whole response."""
    tracemalloc.start()
    start = time.perf_counter()
    response = send()
    size = sum(len(chunk) for chunk in response.streaming_content)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if hasattr(response, "close"):
        response.close()
    return elapsed, peak, size


def old_export(admin: Any, export_format: str) -> Any:
    """The export before: the listing's context counted every row (``len()``), then Wagtail's
    mixin iterated the queryset (which keeps every row) and built the XLSX in a BytesIO."""
    request = RequestFactory().get(CASES, {"export": export_format})
    request.user = admin
    func = resolve(CASES).func
    view = func.view_class(**func.view_initkwargs)
    view.setup(request)
    rows = view.get_queryset()
    len(rows)
    if export_format == "csv":
        return SpreadsheetExportMixin.write_csv_response(view, rows)
    return SpreadsheetExportMixin.write_xlsx_response(view, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 40000])
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    admin = make_learner("bench-admin", is_superuser=True, is_staff=True)
    print("cases   format   old: time    peak MiB   new: time    peak MiB   peak new/old")
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(admin)
        client.get(CASES)  # the first admin page loads the templates and the hooks
        total = 0
        for size in sorted(args.sizes):
            add_cases(size - total)
            total = size
            for export_format in ("csv", "xlsx"):
                old = measure(lambda f=export_format: old_export(admin, f))
                new = measure(lambda f=export_format: client.get(CASES, {"export": f}))
                print(
                    f"{size:6d}   {export_format:5s}   {old[0]:8.2f} s  {old[1]:8.1f}     "
                    f"{new[0]:8.2f} s  {new[1]:8.1f}     {new[1] / old[1]:.3f}"
                )


if __name__ == "__main__":
    main()
