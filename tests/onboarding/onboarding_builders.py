"""Builders for the onboarding tests: cases, applications as the workflow and the browser send
them, operators, and readers of what the learner's pages show."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from lms.crafts.models import Category, Chain, Craft
from onboarding import applications
from onboarding.models import OnboardingCase, OnboardingRule
from tests.builders import make_course, make_learner

VALID_CIN = "AB123456"
VALID_PHONE = "0612345678"
CONSENT = "I agree that my data is shared with the payment provider to open my account."


def phone_appears_in(data: Any, phone: str = VALID_PHONE) -> bool:
    """Whether ``phone`` can be read anywhere in ``data`` (JSON), however it is written.

    +212612345678, 212 6 12 34 56 78, 0612345678 and 06.12.34.56.78 all hold the same nine
    national digits once the separators are gone.
    """
    national = re.sub(r"\D", "", phone)[-9:]
    return any(national in re.sub(r"[\s.()/+-]", "", text) for text in _texts(data))


def _texts(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _texts(value)
    elif isinstance(data, list | tuple):
        for item in data:
            yield from _texts(item)
    else:
        yield str(data)


def valid_rib() -> str:
    """A RIB built here with its key computed by hand: bank 230, city 780, an account number."""
    digits = "230" + "780" + "0123456789012345"
    key = 97 - (int(digits) * 100) % 97
    return digits + f"{key:02d}"


def make_rule(*courses: Any) -> OnboardingRule:
    rule = OnboardingRule.load()
    rule.required_courses.set(courses)
    rule.save()
    return rule


def make_case(learner: Any = None, state: str = "eligible") -> OnboardingCase:
    """A case opened the way the app opens one, then put in ``state`` directly (a test shortcut)."""
    learner = learner or make_learner()
    case, _created = applications.open_case(learner, reason="test")
    if state != case.state:
        OnboardingCase.objects.filter(pk=case.pk).update(state=state)
        case.refresh_from_db()
    return case


def application(**overrides: Any) -> dict[str, Any]:
    data = {
        "consent": True,
        "consent_text": CONSENT,
        "cin": VALID_CIN,
        "phone": VALID_PHONE,
        "region": "Fès-Meknès",
        "shop_name": "Atelier Zellige",
        "payout_method": "wallet",
    }
    data.update(overrides)
    return data


def make_operator(*codenames: str) -> Any:
    operator = make_learner(is_staff=True)
    operator.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="maalem_onboarding", codename__in=codenames
        )
    )
    # A fresh copy: has_perm caches the permissions it has looked up.
    return type(operator).objects.get(pk=operator.pk)


def quick_course() -> Any:
    return make_course(lessons=1, quiz=False)


def make_craft(code: str = "zellige", chain: str = "building") -> Craft:
    category, _ = Category.objects.get_or_create(
        code="art", defaults={"name_ar": "الصناعة التقليدية الفنية", "name_fr": "Artisanat d'art"}
    )
    chain_row, _ = Chain.objects.get_or_create(
        code=chain,
        defaults={"category": category, "name_ar": f"سلسلة {chain}", "name_fr": f"Filière {chain}"},
    )
    craft, _ = Craft.objects.get_or_create(
        code=code, defaults={"chain": chain_row, "name_ar": f"حرفة {code}", "name_fr": code.title()}
    )
    return craft


def operator(*codenames: str) -> Any:
    """A staff member who may use the admin and holds these onboarding permissions."""
    group = Group.objects.create(name=f"Operators {'-'.join(codenames) or 'none'}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="maalem_onboarding", codename__in=codenames
        ),
    )
    user = make_learner()
    user.groups.add(group)
    return user


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
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else None


def error_summary(page: str) -> list[tuple[str, str]]:
    """The error summary's links: (target, text)."""
    found = re.search(r'<div class="onb-summary".*?</div>', page, re.S)
    if not found:
        return []
    return [
        (target, html.unescape(re.sub(r"<[^>]+>", "", text)))
        for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', found.group(0), re.S)
    ]
