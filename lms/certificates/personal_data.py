"""What certificates hold about a learner: each certificate, with its PDF from private storage.

Erasing keeps her certificates by default, under her pseudonym: the verification page and the
credential then print the pseudonym, never her name, and the PDF that printed her name is
deleted. If she asks for their removal too, they are revoked, so the status list says so.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from maalem.core.personal_data import Section
from maalem.core.private_files import private_storage

from .models import Certificate, CertificateEvent

REMOVED_REASON = "removed at the learner's request"


def _opener(name: str) -> Any:
    return lambda: private_storage().open(name, "rb")


def export(user: Any) -> Section:
    section = Section(data={"certificates": []})
    for certificate in Certificate.objects.filter(learner_id=user.pk).order_by("issued_at"):
        section.data["certificates"].append(
            {
                "code": certificate.display_code,
                "name_as_printed": certificate.learner_name,
                "course_titles": certificate.course_titles,
                "issued_at": certificate.issued_at,
                "revoked_at": certificate.revoked_at,
                "verification_url": certificate.verification_url(),
            }
        )
        if certificate.pdf:
            section.files.append((f"{certificate.code}.pdf", _opener(certificate.pdf.name or "")))
    return section


def erase(user: Any, *, keep_certificates: bool) -> list[str]:
    certificates = Certificate.objects.select_for_update().filter(learner_id=user.pk)
    pdfs = [name for name in certificates.values_list("pdf", flat=True) if name]
    if not certificates.exists():
        return []
    pseudonym = getattr(user, "erasure_pseudonym", "")
    certificates.update(learner_name=pseudonym, pdf="", pdf_rendered_at=None)
    kinds = ["names_on_certificates", "certificate_pdfs"]
    if not keep_certificates:
        now = timezone.now()
        for certificate in certificates.filter(revoked_at__isnull=True):
            CertificateEvent.objects.create(
                certificate=certificate,
                action=CertificateEvent.Action.REVOKED,
                actor=None,
                reason=REMOVED_REASON,
            )
        certificates.filter(revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason=REMOVED_REASON
        )
        kinds.append("certificates")

    def delete_files() -> None:
        storage = private_storage()
        for name in pdfs:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return kinds
