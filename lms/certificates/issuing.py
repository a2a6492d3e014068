"""Issuing, revoking and reissuing certificates: the only code that writes them.

Each function commits its own rows, then (after the commit) queues the PDF and announces the
certificate, so a rolled-back transaction never leaves a task or a signal behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Locale

from lms.courses.models import CourseCompletion
from lms.courses.progress import resolve_course
from maalem.core.signals import send_after_commit

from . import codes, queueing, status_lists
from .models import (
    LANGUAGE_CODES,
    Certificate,
    CertificateEvent,
    CertificateTemplate,
    PendingIssuance,
)
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
    """Everything but the status entry, which is taken inside the transaction that stores it."""
    template = current_template()
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
    }


def _after_commit(certificate: Certificate) -> None:
    queueing.send_on_commit(queueing.RENDER_PDF, str(certificate.pk))
    send_after_commit(
        certificate_issued,
        Certificate,
        certificate=certificate,
        learner=certificate.learner,
        course_key=certificate.course_key,
    )


def _has_certificate(completion: CourseCompletion) -> bool:
    return Certificate.objects.filter(completion=completion, replaces=None).exists()


def issue_certificate(completion: CourseCompletion) -> Certificate | None:
    """Issue the certificate for ``completion``. Returns it, or None if it already had one.

    Safe to call any number of times, from any number of processes at once: the unique
    constraint on the completion lets exactly one insert win, and the others find its row. The
    completion's pending issuance, if any, is deleted in the same transaction.
    """
    if _has_certificate(completion):
        return None
    fields = _new_certificate_fields(completion)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                PendingIssuance.objects.filter(completion=completion).delete()
                # Last before the inserts: the list stays locked until the commit.
                number, index = status_lists.allocate()
                certificate = Certificate.objects.create(
                    completion=completion,
                    status_list=number,
                    status_index=index,
                    **fields,
                )
                CertificateEvent.objects.create(
                    certificate=certificate, action=CertificateEvent.Action.ISSUED
                )
        except IntegrityError:
            if _has_certificate(completion):
                # A concurrent delivery issued it first (we waited for the list while it did);
                # the rollback gave our entry back.
                return None
            fields["code"] = codes.new_code()  # the 80-bit code was taken: draw another
            continue
        _after_commit(certificate)
        return certificate
    raise CertificateError(f"Could not issue a certificate for completion {completion.pk}.")


def issue_missing(
    course_key: Any,
) -> Iterator[tuple[CourseCompletion, Certificate | None | Exception]]:
    """Issue the certificates that the completions of a course lack, one by one.

    Yields each completion with its new certificate, None if it had one already, or the error
    that stopped it: one failure does not stop the others.
    """
    completions = (
        CourseCompletion.objects.filter(course_key=course_key, certificates__isnull=True)
        .select_related("learner")
        .order_by("completed_at")
    )
    for completion in completions.iterator():
        try:
            outcome: Certificate | None | Exception = issue_certificate(completion)
        except Exception as error:  # noqa: BLE001 - reported per completion by the caller
            outcome = error
        yield completion, outcome


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
        fields = _new_certificate_fields(old.completion)
        number, index = status_lists.allocate()
        new = Certificate.objects.create(
            completion=old.completion,
            replaces=old,
            status_list=number,
            status_index=index,
            **fields,
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
