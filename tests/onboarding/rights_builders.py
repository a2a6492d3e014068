"""Builders for the tests of the learner's rights (no tests here): a learner with something in
every app, and a search of the whole database for what identified her."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from lms.accounts.models import LearnerPhone
from lms.certificates.models import Certificate
from maalem.core.languages import remember_language
from onboarding import applications, outbox, provisioning
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.models import ApplicantProfile, OnboardingCase, OnboardingStep
from onboarding.providers.base import PaymentAccount

from .marketplace_builders import certified_learner, make_photo
from .onboarding_builders import application, make_case

NAME = ("Fatima", "Bennani")
PHONE = "0661234509"
CIN = "XY987654"
RIB = "011780000012345678901296"


@dataclass
class Seller:
    learner: Any
    certificate: Certificate
    case: OnboardingCase
    photo: str
    secrets: list[str]  # every value that identifies her, plain and as the database holds it


def seller(*, with_account: bool = True) -> Seller:
    """A certified learner with a sign-in phone, a language, a certificate PDF, and a case whose
    application sent her CIN, RIB and photo; its account opened at the provider (the sandbox
    when the test's provider is) and its seller page live."""
    learner, certificate = certified_learner(first_name=NAME[0], last_name=NAME[1])
    LearnerPhone.objects.create(user=learner, phone=PHONE)
    remember_language(learner, "ar")
    certificate.pdf.save("certificate.pdf", ContentFile(b"%PDF-1.4 Bennani"), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=certificate.pdf.name, pdf_rendered_at=timezone.now()
    )
    case = make_case(learner=learner)
    applications.submit_application(
        case.pk, application(cin=CIN, payout_method="bank", rib=RIB), learner
    )
    photo = make_photo()
    ApplicantProfile.objects.filter(case=case).update(photo=photo)
    if with_account:
        step = OnboardingStep.objects.get(case=case)
        assert outbox.run_step(step.pk) == "succeeded"
        case.refresh_from_db()
        account = PaymentAccount(case.payment_account_ref, "active", [], timezone.now())
        provisioning.apply_account(case.pk, account, actor_label="payment provider")
        case.refresh_from_db()
        LocalMarketplaceBackend(payment_provider="Sandbox Pay").create_or_update_seller(case)
    certificate.refresh_from_db()
    return Seller(learner, certificate, case, photo, [NAME[1], PHONE, CIN, RIB, *stored(case)])


def stored(case: OnboardingCase) -> list[str]:
    """Her encrypted values, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cin, phone, rib FROM {ApplicantProfile._meta.db_table} WHERE case_id = %s",
            [case.pk],
        )
        values = [value for value in cursor.fetchone() if value]
        cursor.execute(
            f"SELECT phone FROM {LearnerPhone._meta.db_table} WHERE user_id = %s",
            [case.learner_id],
        )
        values += [row[0] for row in cursor.fetchall()]
    return values


def found_anywhere(value: str) -> list[str]:
    """Every ``table.column`` of the database whose text holds ``value``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "
                    f"WHERE CAST({name} AS TEXT) LIKE %s",
                    [f"%{value}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
