"""Shared parts of the KYC tests: the URL configuration, fixtures and small builders.

The host includes ``onboarding.learner_urls`` in its own ``config/urls.py``; until it does, the
tests use the URL configuration below, which adds them the same way (inside ``i18n_patterns``).
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from lms.crafts.models import Craft

from .onboarding_builders import VALID_CIN, VALID_PHONE


@pytest.fixture
def kyc(settings, tmp_path):
    """Keys for personal data, uploads in a temporary folder, and the learner's pages routed."""
    settings.SALT_KEY = ["salt-key-for-tests-a"]
    settings.ONBOARDING_PII_HMAC_KEY = "hmac-key-for-tests"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings


def photo_upload(name: str = "atelier.png", image_format: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (180, 90, 40)).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def form_data(craft: Craft | None, /, **overrides: Any) -> dict[str, Any]:
    """A complete, valid application as the browser posts it."""
    data: dict[str, Any] = {
        "action": "submit",
        "consent": "on",
        "cin": VALID_CIN.lower(),
        "phone": VALID_PHONE,
        "artisan_register_number": "",
        "region": "Fès-Meknès",
        "craft": str(craft.pk) if craft else "",
        "shop_name": "Atelier Zellige",
        "photo": photo_upload(),
        "payout_method": "wallet",
        "wallet_phone": "",
        "rib": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def application_url(case: Any, language: str = "fr") -> str:
    return f"/{language}/onboarding/cases/{case.pk}/application/"


def status_url(case: Any, language: str = "fr") -> str:
    return f"/{language}/onboarding/cases/{case.pk}/"


def field_error(page: str, name: str) -> str | None:
    """The error message shown next to field ``name``, as the learner reads it."""
    found = re.search(rf'<p class="error" id="id_{name}_error">(.*?)</p>', page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def error_summary(page: str) -> list[tuple[str, str]]:
    """The error summary's links: (target, text)."""
    found = re.search(r'<div class="onb-summary".*?</div>', page, re.S)
    if not found:
        return []
    return [
        (target, html.unescape(text))
        for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', found.group(0), re.S)
    ]
