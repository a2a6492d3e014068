"""Each combination of apps that docs/install.md lists installs and serves courses on its own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .sites import ROOT, clean_environment, run

pytestmark = [pytest.mark.install, pytest.mark.timeout(600)]

COURSES = ["maalem.core", "lms.crafts", "lms.courses"]
WITH_CERTIFICATES = [*COURSES, "lms.certificates"]
WITH_SIGN_IN = [*WITH_CERTIFICATES, "lms.accounts"]
EVERYTHING = [*WITH_SIGN_IN, "onboarding", "onboarding.marketplace"]

SCRIPT = Path(__file__).resolve().parent / "scripts" / "course_page.py"


@pytest.mark.parametrize(
    "apps",
    [COURSES, WITH_CERTIFICATES, WITH_SIGN_IN, EVERYTHING],
    ids=["courses", "with-certificates", "with-sign-in", "everything"],
)
def test_the_combination_passes_its_checks_migrates_and_shows_a_course(apps, tmp_path):
    env = clean_environment(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="tests.install.subset_settings",
        MAALEM_TEST_APPS=",".join(apps),
        MAALEM_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        ALLOWED_HOSTS="testserver,localhost",
        DEBUG="true",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]

    run([*manage, "check", "--fail-level", "WARNING"], cwd=tmp_path, env=env)
    run([*manage, "makemigrations", "--check", "--dry-run"], cwd=tmp_path, env=env)
    run([*manage, "migrate", "--noinput"], cwd=tmp_path, env=env)
    shown = run([*manage, "shell", "-c", SCRIPT.read_text()], cwd=tmp_path, env=env)

    pages = [line.split() for line in shown.splitlines() if line.startswith("/")]
    assert [(status, title) for _url, status, title in pages] == [("200", "shown")] * 2, shown
