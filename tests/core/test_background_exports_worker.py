"""A background export through the real broker and worker: asked for on the cases page, written
once however many times its task is delivered, and downloaded with the page's rows."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings

from maalem.core.models import Export, ExportStatus
from maalem.core.private_files import private_storage
from maalem.core.tasks import run_export
from onboarding.models import ApplicantProfile
from tests.exports import ask_for_export, download
from tests.onboarding.onboarding_builders import make_case, make_craft, operator
from tests.worker import celery_worker, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pii_keys", "fast_passwords"),
]

CASES = "/admin/onboarding/cases/"
OUTCOME = re.compile(rb"maalem\.core\.tasks\.run_export\[[^\]]+\] (succeeded|retry)")


def stored_exports() -> set[str]:
    storage = private_storage()
    return set(storage.listdir("exports")[1]) if storage.exists("exports") else set()


def test_the_worker_writes_one_file_with_the_page_s_rows_however_often_the_task_comes(client):
    craft = make_craft()
    for state in ("submitted", "submitted", "provisioning"):
        case = make_case(state=state)
        ApplicantProfile.objects.create(case=case, shop_name=f"Shop {case.pk}", craft=craft)
    client.force_login(operator("view_onboardingcase"))
    before = stored_exports()
    log = Path(settings.VAR_DIR) / "worker-exports.log"

    with celery_worker(concurrency=2, name="exports"):
        export = ask_for_export(client, CASES, {"export": "csv", "state": "submitted"})
        run_export.delay(export.pk)  # delivered twice more: a retry, a duplicate
        run_export.delay(export.pk)
        wait_for(
            lambda: len(OUTCOME.findall(log.read_bytes())) >= 3,
            what="the worker to take the three deliveries",
        )

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    assert stored_exports() - before == {export.file.name.removeprefix("exports/")}
    rows = list(csv.reader(io.StringIO(download(client, export).decode())))
    listed = client.get(CASES, {"state": "submitted"}).context["object_list"]
    assert [row[0] for row in rows[1:]] == [str(case.pk) for case in listed]
    assert Export.objects.count() == 1
