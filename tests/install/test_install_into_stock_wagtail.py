"""docs/install.md, followed to the letter on a fresh `wagtail start` site with the built wheel,
takes a learner from enrolment to a certificate whose QR code opens its verification page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from tests.worker import wait_for

from .browser import Browser
from .install_doc import Step, steps
from .sites import Processes, clean_environment, free_port, outcome, run

pytestmark = [pytest.mark.install, pytest.mark.timeout(1200)]

SCRIPTS = Path(__file__).resolve().parent / "scripts"
LEARNER_NAME = "Amina Benali"
PHONE = "06 12 34 56 78"


def apply(step: Step, workspace: Path, env: dict[str, str], processes: Processes) -> None:
    target = workspace / step.title
    if step.mode == "append":
        target.write_text(f"{target.read_text()}\n\n{step.code}")
    elif step.mode == "replace":
        assert target.is_file(), f"{step.title} should exist before it is replaced"
        target.write_text(step.code)
    elif step.mode == "create":
        assert not target.exists(), f"{step.title} should be new"
        target.write_text(step.code)
    elif step.mode == "run":
        run(step.code, cwd=target, env=env)
    elif step.mode == "shell":
        run(["python", "manage.py", "shell", "-c", step.code], cwd=target, env=env)
    elif step.mode == "background":
        for number, command in enumerate(filter(None, step.code.splitlines())):
            log = workspace / f"{target.name}-background-{number}.log"
            processes.start(command, cwd=target, env=env, log=log)


def shell(site: Path, env: dict[str, str], script: str, **variables: str) -> str:
    code = (SCRIPTS / script).read_text()
    return run(["python", "manage.py", "shell", "-c", code], cwd=site, env={**env, **variables})


def qr_codes(pdf: Path, folder: Path) -> list[str]:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
        check=True,
    )
    page = Image.open(next(folder.glob("page*.png")))
    return [result.text for result in zxingcpp.read_barcodes(page)]


def answers(browser: Browser) -> bool:
    try:
        browser.get("/admin/login/")
    except OSError:
        return False
    return True


def sms_codes(log: Path) -> list[str]:
    """The sign-in codes the console SMS backend printed, oldest first."""
    return [
        code
        for line in log.read_text().splitlines()
        if line.startswith("SMS to ")
        for code in re.findall(r"\b\d{6}\b", line.split(":", 1)[-1])
    ]


def sign_in_by_phone(browser: Browser, sign_in: str, log: Path) -> str:
    """Sign a new learner in by phone from the page ``sign_in``; where they land afterwards."""
    form = browser.get(sign_in)
    assert form.status == 200, form.text[:2000]
    sent = browser.post(sign_in, {**form.hidden_inputs(), "phone": PHONE})
    assert sent.status == 302, sent.text[:2000]
    code_form = browser.get(sent.location)
    wait_for(lambda: bool(sms_codes(log)), timeout=30, what="the sign-in code on the console")
    named = browser.post(
        urlsplit(sent.location).path, {**code_form.hidden_inputs(), "code": sms_codes(log)[-1]}
    )
    assert named.status == 302, named.text[:2000]
    name_form = browser.get(named.location)
    assert name_form.status == 200, name_form.text[:2000]
    landed = browser.post(
        urlsplit(named.location).path,
        {**name_form.hidden_inputs(), "first_name": "Youssef", "last_name": "Alaoui"},
    )
    assert landed.status == 302, landed.text[:2000]
    return landed.location


def production_environment(site: Path, env: dict[str, str]) -> dict[str, str]:
    """The environment docs/install.md's production.py reads, with keys made as it says."""
    make_key = "from lms.certificates.keys import new_signing_key; print(new_signing_key())"
    make_secret = "import secrets; print(secrets.token_urlsafe(50))"

    def made(code: str) -> str:
        return run(["python", "-c", code], cwd=site, env=env).strip()

    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "mysite.settings.production",
        "MAALEM_SALT_KEYS": made(make_secret),
        "MAALEM_PHONE_HMAC_KEY": made(make_secret),
        "MAALEM_PII_HMAC_KEY": made(make_secret),
        "MAALEM_CERTIFICATE_SIGNING_KEY": made(make_key),
        "MAALEM_CERTIFICATES_BASE_URL": "https://learn.example.org",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "PAYMENTS_API_URL": "https://payments.example.org",
        "PAYMENTS_API_KEY": "a-key",
        "PAYMENTS_WEBHOOK_SECRETS": "whsec_a",
        # Stands in for an SMS gateway's backend, which this machine has none of.
        "MAALEM_SMS_BACKEND": "maalem.core.sms.InMemorySMSBackend",
    }


def test_a_stock_wagtail_site_following_the_doc_issues_a_certificate_that_verifies(workspace):
    venv = workspace / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=workspace, env=clean_environment())
    env = clean_environment(
        venv / "bin",
        # The versions this checkout pins, so the run is repeatable and pip's cache serves it.
        PIP_CONSTRAINT=str(workspace / "maalem" / "requirements.txt"),
        PYTHONUNBUFFERED="1",
    )
    run(
        ["python", "-m", "pip", "install", "--quiet", f"wagtail=={version('wagtail')}"],
        cwd=workspace,
        env=env,
    )
    run(["wagtail", "start", "mysite"], cwd=workspace, env=env)
    site = workspace / "mysite"

    with Processes() as processes:
        for step in steps():
            if step.folder == "mysite":
                apply(step, workspace, env, processes)

        run(["python", "manage.py", "check", "--fail-level", "WARNING"], cwd=site, env=env)
        production = production_environment(site, env)
        run(["python", "manage.py", "check", "--fail-level", "ERROR"], cwd=site, env=production)
        placeholder = {**production, "MAALEM_CERTIFICATE_SIGNING_KEY": "<private Ed25519 JWK>"}
        status, output = outcome(["python", "manage.py", "check"], cwd=site, env=placeholder)
        assert status != 0
        assert "certificates.E002" in output and "new_signing_key" in output, output
        located = run(["python", "-c", "import lms; print(lms.__file__)"], cwd=site, env=env)
        assert located.strip().startswith(str(venv)), "the site must run the installed wheel"

        journey = json.loads(shell(site, env, "learner_journey.py").strip().splitlines()[-1])
        assert journey["learner_name"] == LEARNER_NAME

        def rendered_pdf() -> str:
            return shell(site, env, "certificate_pdf.py", CERTIFICATE=journey["certificate"])

        wait_for(lambda: bool(rendered_pdf().strip()), timeout=240, what="the worker's PDF")
        pdf = Path(rendered_pdf().strip().splitlines()[-1])
        (scanned,) = qr_codes(pdf, workspace)
        assert scanned.startswith("http://localhost:8000/")

        log = workspace / "runserver.log"
        browser = Browser(free_port())
        processes.start(
            f"python manage.py runserver 127.0.0.1:{browser.port} --noreload",
            cwd=site,
            env=env,
            log=log,
        )
        wait_for(lambda: answers(browser), timeout=60, what="the web server")

        verification = browser.get(urlsplit(scanned).path)
        assert verification.status == 200, (scanned, verification.text[:2000])
        assert LEARNER_NAME in verification.text

        course = browser.get(journey["course_url"])
        assert course.status == 200, course.text[:2000]
        assert "Selling on your phone" in course.text

        # The doc's warning: the host's own pages now live under a language prefix.
        assert (browser.get("/").status, browser.get("/").location) == (302, "/en/")
        assert browser.get("/en/").status == 200

        # A learner who is not signed in is sent to a sign-in page that exists, and after
        # signing in from it lands on a page that exists too.
        my_learning = browser.get("/en/learn/")
        assert my_learning.status == 302
        assert browser.open(my_learning.location).status == 200, my_learning.location
        landing = sign_in_by_phone(browser, urlsplit(my_learning.location).path, log)
        assert browser.open(landing).status == 200, landing
