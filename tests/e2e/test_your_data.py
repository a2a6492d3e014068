""" "Your data" in Arabic on a 360px phone (plain links and forms, which need no JavaScript): from "My learning" the learner
downloads her data, then erases her account after confirming it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect

from lms.accounts.models import LearnerPhone
from maalem.core.models import ErasureRecord
from tests.builders import arabic_learner

from .journey import Journey, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def test_a_learner_downloads_her_data_then_erases_her_account_in_arabic(
    live_server, context: BrowserContext, page: Page
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    learner = arabic_learner()
    LearnerPhone.objects.create(user=learner, phone="0661234509")
    sign_in(context, learner, live_server.url)
    journey = Journey(page, live_server.url, SCREENSHOTS, "your-data-ar")

    journey.open("/ar/learn/")
    page.get_by_role("link", name="بياناتك: تنزيلها أو محوها").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("بياناتك")
    journey.look("your-data")

    # The link's answer, fetched with the phone's session: a zip to save, not a page.
    link = page.get_by_role("link", name="تنزيل بياناتي")
    response = context.request.get(live_server.url + str(link.get_attribute("href")))
    assert response.headers["content-disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
        assert json.loads(archive.read("accounts.json"))["phone"] == "0661234509"
        assert json.loads(archive.read("account.json"))["last_name"] == "بنعلي"

    page.get_by_role("link", name="محو حسابي").click()
    journey.look("confirm")
    page.get_by_role("button", name="نعم، امحُ حسابي").click()
    expect(page.locator("#understood-error")).to_be_visible()
    journey.look("not-confirmed")
    assert get_user_model().objects.get(pk=learner.pk).is_active

    page.get_by_label("أفهم أن حسابي سيُمحى نهائيًا").check()
    page.get_by_role("button", name="نعم، امحُ حسابي").click()
    expect(page.locator("h1")).to_have_text("تم محو حسابك")
    journey.look("erased")
    user = get_user_model().objects.get(pk=learner.pk)
    assert not user.is_active and user.last_name == ""
    assert ErasureRecord.objects.get().certificates_kept
