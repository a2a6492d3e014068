"""Builders and fixtures for the onboarding workflow tests."""

from __future__ import annotations

from typing import Any

import pytest
from celery import current_app
from django.contrib.auth.models import Group, Permission

from lms.courses import services
from lms.courses.models import CourseCompletion
from lms.crafts.models import Category, Chain, Craft
from onboarding import applications
from onboarding.models import OnboardingCase, OnboardingRule
from tests.builders import correct_answers, lessons_of, make_course, make_learner

VALID_CIN = "AB123456"
VALID_PHONE = "0612345678"
CONSENT = "I agree that my data is shared with the payment provider to open my account."


def valid_rib() -> str:
    """A RIB built here with its key computed by hand: bank 230, city 780, an account number."""
    digits = "230" + "780" + "0123456789012345"
    key = 97 - (int(digits) * 100) % 97
    return digits + f"{key:02d}"


@pytest.fixture
def pii_keys(settings):
    settings.SALT_KEY = ["salt-key-for-tests-a"]
    settings.ONBOARDING_PII_HMAC_KEY = "hmac-key-for-tests"
    return settings


@pytest.fixture
def eager_tasks():
    # Tasks run in this process as they are enqueued: the real task code, without a broker.
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def make_rule(*courses: Any) -> OnboardingRule:
    rule = OnboardingRule.load()
    rule.required_courses.set(courses)
    rule.save()
    return rule


def complete(learner: Any, course: Any) -> CourseCompletion:
    """Finish every lesson of ``course`` for real, passing its quiz."""
    services.enrol(learner, course)
    for lesson in lessons_of(course):
        if lesson.is_quiz:
            services.submit_quiz(learner, lesson, correct_answers(lesson))
        else:
            services.mark_lesson_done(learner, lesson)
    return CourseCompletion.objects.get(learner=learner, course_key=course.translation_key)


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


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
