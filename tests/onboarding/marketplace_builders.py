"""Builders for the marketplace tests (no tests here): crafts, photos, applied and certified
sellers, made through the real workflow."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images.tests.utils import get_test_image_file

from lms.certificates.issuing import issue_certificate
from lms.certificates.models import Certificate
from maalem.core.private_files import private_storage, random_name
from onboarding import applications, provisioning
from onboarding.models import OnboardingCase
from onboarding.photos import PHOTO_FOLDER, read_photo
from onboarding.providers.base import PaymentAccount
from tests.builders import complete, make_course, make_learner

from .onboarding_builders import application, make_case

_numbers = itertools.count(1)


def make_photo(upload: Any = None) -> str:
    """An applicant's photo as the application keeps it: a private file's stored name."""
    upload = upload or ImageFile(get_test_image_file(size=(640, 480)), name="workshop.png")
    return private_storage().save(random_name(PHOTO_FOLDER, "jpg"), ContentFile(read_photo(upload)))


def applied_case(**overrides: Any) -> OnboardingCase:
    """A case whose learner has sent the application: it is provisioning, account not open."""
    case = make_case(learner=overrides.pop("learner", None))
    # A national ID of its own, or the second case would go to manual review as a duplicate.
    data = application(**{"cin": f"AB{next(_numbers):06d}", **overrides})
    applications.submit_application(case.pk, data, case.learner)
    return OnboardingCase.objects.get(pk=case.pk)


def open_account(case: OnboardingCase, status: str = "active") -> OnboardingCase:
    """The payment provider reports the case's account, as its webhook or the step would."""
    account = PaymentAccount(f"acct_{case.pk:08d}", status, [], timezone.now())
    provisioning.apply_account(case.pk, account, actor_label="payment provider")
    return OnboardingCase.objects.get(pk=case.pk)


def certified_learner(**fields: Any) -> tuple[Any, Certificate]:
    learner = make_learner(**fields)
    course = make_course(title="Photographier ses produits", lessons=1, quiz=False)
    # Issued here rather than by the after-commit receiver, which never runs in a test
    # transaction.
    certificate = issue_certificate(complete(learner, course))
    assert certificate is not None
    return learner, certificate
