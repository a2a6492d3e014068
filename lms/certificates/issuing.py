"""Issuing, revoking and reissuing certificates: the only code that writes them.

Each function commits its own rows, then (after the commit) queues the PDF and announces the
certificate, so a rolled-back transaction never leaves a task or a signal behind.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Locale

from lms.courses.models import CourseCompletion
from lms.courses.progress import resolve_course
from maalem.core.signals import send_after_commit

from . import codes
from .conf import app_settings
from .models import LANGUAGE_CODES, Certificate, CertificateEvent, CertificateTemplate
from .signals import certificate_issued


class CertificateError(Exception):
    pass


def current_template() -> CertificateTemplate | None:
    return (
        CertificateTemplate.objects.filter(live=True)
        .order_by("-is_default", "-last_published_at", "-pk")
        .select_related("live_revision")
        .first()
    )


def course_titles(course_key: Any) -> dict[str, str]:
    """The course title in each language it is published in, looked up once at issue time."""
    titles = {}
    for code in LANGUAGE_CODES:
        locale = Locale.objects.filter(language_code=code).first()
        course = resolve_course(course_key, locale) if locale else None
        if course is not None and course.locale_id == getattr(locale, "pk", None):
            titles[code] = course.title
    if not titles:
        course = resolve_course(course_key)
        if course is not None:
            titles[course.locale.language_code] = course.title
    return titles


def printed_name(learner: Any) -> str:
    return learner.get_full_name().strip() or learner.get_username()


def _new_certificate_fields(completion: CourseCompletion) -> dict[str, Any]:
    template = current_template()
    # A random entry in the status list: consecutive numbers would tell a verifier how many
    # certificates were issued around this one.
    return {
        "learner": completion.learner,
        "course_key": completion.course_key,
        "course_titles": course_titles(completion.course_key),
        "learner_name": printed_name(completion.learner),
        "code": codes.new_code(),
        "template_revision": template.live_revision if template else None,
        "template_snapshot": (
            template.snapshot() if template else CertificateTemplate.default_snapshot()
        ),
        "status_index": secrets.randbelow(app_settings.STATUS_LIST_SIZE),
    }


def _after_commit(certificate: Certificate) -> None:
    from .tasks import render_certificate_pdf

    transaction.on_commit(lambda: render_certificate_pdf.delay(str(certificate.pk)))
    send_after_commit(
        certificate_issued,
        Certificate,
        certificate=certificate,
        learner=certificate.learner,
        course_key=certificate.course_key,
    )


def issue_certificate(completion: CourseCompletion) -> Certificate | None:
    """Issue the certificate for ``completion``. Returns it, or None if it already had one.

    Safe to call any number of times, from any number of processes at once: the unique
    constraint on the completion lets exactly one insert win, and the others find its row.
    """
    for _attempt in range(5):
        fields = _new_certificate_fields(completion)
        try:
            with transaction.atomic():
                certificate, created = Certificate.objects.get_or_create(
                    completion=completion, replaces=None, defaults=fields
                )
                if created:
                    CertificateEvent.objects.create(
                        certificate=certificate, action=CertificateEvent.Action.ISSUED
                    )
        except IntegrityError:
            # Either a concurrent delivery inserted this completion's certificate first (the
            # next get_or_create finds it) or the random code or status entry was taken.
            continue
        if not created:
            return None
        _after_commit(certificate)
        return certificate
    raise CertificateError(f"Could not issue a certificate for completion {completion.pk}.")


def issue_missing(course_key: Any) -> Iterator[tuple[CourseCompletion, Certificate | None]]:
    """Issue the certificates that the completions of a course lack, one by one."""
    completions = (
        CourseCompletion.objects.filter(course_key=course_key, certificates__isnull=True)
        .select_related("learner")
        .order_by("completed_at")
    )
    for completion in completions.iterator():
        yield completion, issue_certificate(completion)


def revoke(certificate: Certificate, by: Any, reason: str) -> Certificate:
    """Revoke a certificate; the verification page and the status list show it at once."""
    reason = reason.strip()
    if not reason:
        raise CertificateError("A revocation needs a reason.")
    with transaction.atomic():
        # Two staff members revoking together: the lock makes the second see the first's work.
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            raise CertificateError("This certificate is already revoked.")
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason[:300]
        locked.save(update_fields=["revoked_at", "revoked_reason"])
        CertificateEvent.objects.create(
            certificate=locked, action=CertificateEvent.Action.REVOKED, actor=by, reason=reason
        )
    return locked


def reissue(certificate: Certificate, by: Any, reason: str = "") -> Certificate:
    """Replace a certificate with a new one (new code, current template, current name).

    The old one is revoked with the reason "reissued" and keeps pointing at its successor.
    """
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if Certificate.objects.filter(replaces=old).exists():
            raise CertificateError("This certificate has already been reissued.")
        new = Certificate.objects.create(
            completion=old.completion, replaces=old, **_new_certificate_fields(old.completion)
        )
        if not old.is_revoked:
            old.revoked_at = timezone.now()
            old.revoked_reason = "reissued"
            old.save(update_fields=["revoked_at", "revoked_reason"])
            CertificateEvent.objects.create(
                certificate=old, action=CertificateEvent.Action.REVOKED, actor=by, reason="reissued"
            )
        CertificateEvent.objects.create(
            certificate=new, action=CertificateEvent.Action.REISSUED, actor=by, reason=reason
        )
    _after_commit(new)
    return new
