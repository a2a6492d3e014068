"""The models of lms.certificates: certificates and their history (:mod:`.certificate`), and the
templates they are printed from (:mod:`.template`), and the status lists and pending issuances
behind issuing (:mod:`.issuance`)."""

from .certificate import Certificate, CertificateEvent, certificate_upload_to
from .issuance import PendingIssuance, StatusList
from .template import LANGUAGE_CODES, CertificateSignatory, CertificateTemplate, colour_validator

__all__ = [
    "LANGUAGE_CODES",
    "Certificate",
    "CertificateEvent",
    "CertificateSignatory",
    "CertificateTemplate",
    "PendingIssuance",
    "StatusList",
    "certificate_upload_to",
    "colour_validator",
]
