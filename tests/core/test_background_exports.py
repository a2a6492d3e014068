"""A large export is written by a worker: asked for, it is queued and the staff member is sent
to the Exports page; the file holds what the page showed; only its owner downloads it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from lms.courses.services import enrol
from lms.courses.trainers import grant_trainer, setup_trainers_group
from maalem.core import export_jobs
from maalem.core.models import Export, ExportStatus, PrivateFileAccess
from maalem.core.private_files import private_storage
from maalem.core.tasks import expire_exports
from onboarding.models import ApplicantProfile
from tests.builders import make_catalogue, make_course, make_learner
from tests.exports import ask_for_export, download, export_in_background
from tests.onboarding.onboarding_builders import make_case, make_craft, operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys", "fast_passwords")]

CASES = "/admin/onboarding/cases/"
EXPORTS = "/admin/exports/"


@pytest.fixture
def catalogue():
    return make_catalogue()


@pytest.fixture
def trainer(catalogue):
    setup_trainers_group(catalogue)
    user = make_learner()
    grant_trainer(user)
    return user


@pytest.fixture
def cases():
    craft = make_craft()
    made = {"submitted": [], "provisioning": []}
    for state, count in (("submitted", 3), ("provisioning", 2)):
        for _ in range(count):
            case = make_case(state=state)
            ApplicantProfile.objects.create(case=case, shop_name=f"Shop {case.pk}", craft=craft)
            made[state].append(case)
    return made


def csv_ids(body: bytes) -> list[str]:
    return [row[0] for row in csv.reader(io.StringIO(body.decode()))][1:]


def test_asking_for_an_export_queues_it_and_shows_it_on_the_exports_page(client, cases):
    client.force_login(operator("view_onboardingcase"))

    export = ask_for_export(client, CASES, {"export": "xlsx", "state": "submitted", "p": "2"})
    page = client.get(EXPORTS).content.decode()

    assert export.status == ExportStatus.QUEUED
    assert export.parameters == {"state": ["submitted"]}  # the filter, not the page number
    assert export.report == "onboarding_case:index"
    assert f'data-export="{export.pk}" data-status="queued"' in page
    assert '<meta http-equiv="refresh"' in page  # reloads itself until it is done
    # Asked again while it waits: still one export.
    client.get(CASES, {"export": "xlsx", "state": "submitted"})
    assert Export.objects.count() == 1


def test_the_file_holds_the_rows_the_filtered_page_shows(client, cases):
    client.force_login(operator("view_onboardingcase"))

    body = export_in_background(client, CASES, {"export": "csv", "state": "submitted"})
    listed = client.get(CASES, {"state": "submitted"}).context["object_list"]

    assert csv_ids(body) == [str(case.pk) for case in listed]
    assert sorted(csv_ids(body)) == sorted(str(case.pk) for case in cases["submitted"])


def test_a_trainer_s_export_holds_only_her_courses(client, trainer, catalogue):
    mine = make_course(catalogue, lessons=1, title="Mobile payments")
    theirs = make_course(make_catalogue(intro="<p>Another team.</p>"), title="Weaving basics")
    for course in (mine, theirs, mine):
        enrol(make_learner(), course)
    client.force_login(trainer)

    body = export_in_background(
        client, reverse("lms_learner_report"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0][:2] == ["Learner", "Course"]
    assert [row[1] for row in rows[1:]] == ["Mobile payments", "Mobile payments"]


def test_only_the_staff_member_who_asked_downloads_the_file(client, cases):
    asker = operator("view_onboardingcase")
    client.force_login(asker)
    body = export_in_background(client, CASES, {"export": "csv"})
    export = Export.objects.get()
    url = reverse("maalem_exports:download", args=[export.pk])

    other_operator = make_learner()
    other_operator.groups.set(asker.groups.all())
    others = {
        "another operator": other_operator,
        "a learner": make_learner(),
        "staff without permission": make_learner(is_staff=True),
    }
    answers = {}
    for who, user in others.items():
        client.force_login(user)
        answers[who] = client.get(url).get("Location")
    client.logout()
    answers["anonymous"] = client.get(url).get("Location")
    client.force_login(make_learner(is_staff=True, is_superuser=True))
    superuser = client.get(url)

    sign_in = f"/admin/login/?next={url}"
    assert answers == {
        "another operator": "/admin/",  # the dashboard, which says permission was refused
        "a learner": sign_in,
        "staff without permission": sign_in,
        "anonymous": sign_in,
    }
    assert b"".join(superuser.streaming_content) == body
    assert "no-store" in superuser["Cache-Control"]
    logged = PrivateFileAccess.objects.filter(kind="export", object_ref=str(export.pk))
    assert list(logged.values_list("granted", flat=True)) == [True, False, True]


def test_a_trainer_who_lost_the_permission_neither_gets_the_file_nor_a_new_one(
    client, trainer, catalogue
):
    enrol(make_learner(), make_course(catalogue, lessons=1))
    client.force_login(trainer)
    export_in_background(client, reverse("lms_learner_report"), {"export": "xlsx"})
    export = Export.objects.get()
    queued = ask_for_export(client, reverse("lms_learner_report"), {"export": "csv"})

    Group.objects.get(name="Trainers").permissions.filter(codename="view_progress_report").delete()

    assert client.get(reverse("maalem_exports:download", args=[export.pk]))["Location"] == "/admin/"
    assert export_jobs.run(queued.pk) == export_jobs.FAILED
    queued.refresh_from_db()
    assert queued.status == ExportStatus.FAILED
    assert "may no longer open this report" in queued.error
    assert not queued.file


def test_progress_is_shown_while_the_export_is_written(client, cases, settings):
    client.force_login(operator("view_onboardingcase"))
    export = ask_for_export(client, CASES, {"export": "csv"})
    Export.objects.filter(pk=export.pk).update(
        status=ExportStatus.RUNNING, rows_written=2, rows_estimate=5
    )

    page = client.get(EXPORTS).content.decode()

    assert 'value="2" max="5"' in page
    assert '<meta http-equiv="refresh"' in page
    settings.MAALEM_EXPORT_PROGRESS_EVERY = 2
    Export.objects.filter(pk=export.pk).update(status=ExportStatus.QUEUED, rows_written=0)
    assert export_jobs.run(export.pk) == export_jobs.DONE
    export.refresh_from_db()
    assert (export.rows_written, export.rows_estimate) == (5, 5)
    page = client.get(EXPORTS).content.decode()
    assert reverse("maalem_exports:download", args=[export.pk]) in page
    assert '<meta http-equiv="refresh"' not in page


def test_a_second_run_of_the_task_makes_no_second_file(client, cases):
    client.force_login(operator("view_onboardingcase"))
    export = ask_for_export(client, CASES, {"export": "xlsx"})
    storage = private_storage()
    before = set(storage.listdir("exports")[1]) if storage.exists("exports") else set()

    outcomes = [export_jobs.run(export.pk), export_jobs.run(export.pk)]

    export.refresh_from_db()
    made = set(storage.listdir("exports")[1]) - before
    assert outcomes == [export_jobs.DONE, export_jobs.SKIPPED]
    assert made == {export.file.name.removeprefix("exports/")}


def test_a_run_waits_while_another_holds_the_export_and_takes_over_a_dead_one(client, cases):
    client.force_login(operator("view_onboardingcase"))
    export = ask_for_export(client, CASES, {"export": "csv"})
    assert export_jobs.claim(export.pk, "first-run")

    assert export_jobs.run(export.pk) == export_jobs.BUSY
    stale = timezone.now() - timedelta(seconds=export_jobs.LEASE_SECONDS + 1)
    Export.objects.filter(pk=export.pk).update(heartbeat_at=stale)
    assert export_jobs.run(export.pk) == export_jobs.DONE

    # The first run, back from the dead, finds it has lost the export and keeps nothing.
    job = export_jobs.ExportJob(export, "first-run", io.BytesIO(b"late"))
    with pytest.raises(export_jobs.LostClaim):
        job.store()
    export.refresh_from_db()
    assert csv_ids(download(client, export))  # the taker's file, whole


def test_files_past_their_retention_period_are_deleted_and_the_export_stays_listed(
    client, cases, settings
):
    settings.MAALEM_EXPORT_RETENTION_DAYS = 7
    client.force_login(operator("view_onboardingcase"))
    export_in_background(client, CASES, {"export": "csv"})
    export_in_background(client, CASES, {"export": "xlsx"})
    old, recent = Export.objects.order_by("pk")
    Export.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))

    assert expire_exports.run() == {"files": 1}
    assert not private_storage().exists(old.file.name)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == ExportStatus.EXPIRED and not old.file
    assert recent.status == ExportStatus.DONE and private_storage().exists(recent.file.name)
    assert client.get(reverse("maalem_exports:download", args=[old.pk]))["Location"] == "/admin/"
    assert f'data-export="{old.pk}" data-status="expired"' in client.get(EXPORTS).content.decode()
