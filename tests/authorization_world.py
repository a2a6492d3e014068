"""The world the authorization matrix asks in: one learner (the owner) with a completed course,
a certificate, a case with a photo, a live shop with a product, a paid order and a QR poster,
the trainer's finished export, and one user per role (tests/test_authorization_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from lms.certificates.models import Certificate, CertificateTemplate
from lms.certificates.tasks import render_certificate_pdf
from lms.courses.trainers import grant_trainer, setup_trainers_group
from maalem.core.models import Export, ExportStatus
from maalem.core.private_files import private_storage, random_name
from onboarding.marketplace import order_states
from onboarding.marketplace.backend import publish_seller
from onboarding.marketplace.models import Dispute
from onboarding.marketplace.product_photos import add_photo
from onboarding.marketplace.products import save_product
from onboarding.models import ApplicantProfile, CaseState, OnboardingCase
from onboarding.providers.base import AccountStatus
from tests.builders import complete, lessons_of, make_catalogue, make_course, make_learner
from tests.onboarding.marketplace_builders import make_photo
from tests.onboarding.onboarding_builders import make_case, make_craft
from tests.onboarding.order_builders import place_order
from tests.onboarding.product_builders import make_product, phone_photo

ROLES = ("anonymous", "learner", "owner", "trainer", "operator", "staff", "superuser")


@dataclass
class World:
    users: dict[str, Any]
    values: dict[str, str]


def operator_user() -> Any:
    group = Group.objects.create(name="Operators (matrix)")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="maalem_onboarding"),
        *Permission.objects.filter(content_type__app_label="maalem_certificates"),
        *Permission.objects.filter(
            content_type__app_label="maalem_marketplace",
            codename__in=["view_order", "change_order", "view_buyer_details"],
        ),
    )
    user = make_learner()
    user.groups.add(group)
    return user


def build_world(capture: Callable[..., Any]) -> World:
    catalogue = make_catalogue()
    setup_trainers_group(catalogue)
    trainer = make_learner()
    grant_trainer(trainer)
    owner = make_learner(first_name="Hind", last_name="Amrani")
    course = make_course(lessons=1, quiz=False)
    with capture(execute=True):
        complete(owner, course)
    certificate = Certificate.objects.get(learner=owner)
    render_certificate_pdf.run(str(certificate.pk))
    case = make_case(owner, state="kyc_pending")
    ApplicantProfile.objects.create(case=case, photo=make_photo(), shop_name="Atelier Hind")
    # She sells: her account is active (so it has a QR poster) and her shop is live, with a
    # product and its photo.
    OnboardingCase.objects.filter(pk=case.pk).update(
        state=CaseState.ACTIVE,
        payment_account_status=AccountStatus.ACTIVE,
        payment_account_ref="acct_matrix",
        merchant_qr={"gui": "ma.maalem.sandbox", "merchant_id": "000000000000001"},
    )
    product = make_product(publish_seller(OnboardingCase.objects.get(pk=case.pk)))
    photo = add_photo(product, phone_photo())
    product.craft = make_craft("zellige", chain="building")
    save_product(product, for_sale=True)  # complete with its craft: buyers may order it
    # A buyer's paid order from her shop: its page opens with its link alone.
    order, token = place_order(product.seller, product)
    order_states.transition(
        order.pk, "paid", actor_label="test", reason="paid", payment_ref="pay_matrix"
    )
    # A buyer's bank disputes it: the operator may answer, from the order's page.
    dispute = Dispute.objects.create(
        order=order,
        provider_ref="dp_matrix",
        payment_ref="pay_matrix",
        amount=order.items_total,
        reason="fraudulent",
        status="needs_response",
        opened_at=timezone.now(),
    )
    users = {
        "anonymous": None,
        "learner": make_learner(),
        "owner": owner,
        "trainer": trainer,
        "operator": operator_user(),
        "staff": make_learner(is_staff=True),
        "superuser": make_learner(is_staff=True, is_superuser=True),
    }
    export = Export.objects.create(
        requested_by=trainer,
        report="lms_learner_report",
        format="csv",
        status=ExportStatus.DONE,
        file=private_storage().save(random_name("exports", "csv"), ContentFile(b"Learner\n")),
        finished_at=timezone.now(),
    )
    (lesson,) = lessons_of(course)
    values = {
        "course_id": str(course.pk),
        "lesson_id": str(lesson.pk),
        "certificate_id": str(certificate.pk),
        "pk": str(certificate.pk),
        "code": certificate.code,
        "case_id": str(case.pk),
        "number": "1",
        "export_id": str(export.pk),
        "public_id": product.public_id,
        "photo_id": str(photo.pk),
        "order_pk": str(order.pk),
        "dispute_pk": str(dispute.pk),
        "template_id": str(CertificateTemplate.objects.get_or_create(name="Matrix")[0].pk),
        "order_id": order.public_id,
        "token": token,
    }
    return World(users, values)
