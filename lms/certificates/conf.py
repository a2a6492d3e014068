"""Settings of lms.certificates, read at call time so that ``override_settings`` works.

Each is a Django setting named ``LMS_CERTIFICATES_<NAME>``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from maalem.core.brand import site_name
from maalem.core.conf import AppSettings


class CertificateSettings(AppSettings):
    @property
    def BASE_URL(self) -> str:
        """Scheme and host that the QR code and the credentials point at, without a final slash.

        Defaults to ``WAGTAILADMIN_BASE_URL``. It must stay stable: printed certificates carry it.
        """
        default = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost"
        return str(self.setting("BASE_URL", default)).rstrip("/")

    @property
    def URL_LANGUAGE(self) -> str:
        """The language prefix of the verification page's address that the credentials carry,
        and the QR code too when the learner's language is not known (otherwise the QR code
        opens the page in her language). It must stay stable and be one of ``LANGUAGES``:
        printed certificates carry it.

        Defaults to the language the site falls back to, as ``i18n_patterns`` spells it:
        ``LANGUAGE_CODE``, or its generic form when only that is in ``LANGUAGES`` (``en-us``
        gives ``en``), else the first of ``LANGUAGES``."""
        configured = self.setting("URL_LANGUAGE", None)
        if configured:
            return str(configured)
        try:
            return translation.get_supported_language_variant(settings.LANGUAGE_CODE)
        except LookupError:
            return str(settings.LANGUAGES[0][0])

    @property
    def ISSUER_NAME(self) -> str:
        """Who issues the certificates, as the verification page and credentials name them.

        A certificate template may set its own; this is the fallback. Unset, the site's name in
        the active language (:func:`maalem.core.brand.site_name`)."""
        return str(self.setting("ISSUER_NAME", "") or site_name())

    @property
    def ISSUER_ID(self) -> str:
        """The issuer's URI in the Open Badges credentials. Defaults to the base URL."""
        return str(self.setting("ISSUER_ID", self.BASE_URL + "/"))

    @property
    def SIGNING_KEYS(self) -> list[str]:
        """Private Ed25519 JWKs as JSON strings. The first signs; all are published, so
        credentials signed with an older key still verify after a rotation."""
        return list(self.setting("SIGNING_KEYS", []))

    @property
    def VERIFY_RATE(self) -> str:
        """How often one IP address may look up verification codes, as django-ratelimit's
        ``count/period``. Codes are unguessable; the limit keeps scanners from trying."""
        return str(self.setting("VERIFY_RATE", "30/m"))

    @property
    def PDF_LANGUAGES(self) -> tuple[str, str]:
        """The two languages printed side by side on the PDF. The learner's own language (the
        one she reads the site in) comes first, on the right when it is written right to left;
        for a learner who reads neither, this order."""
        first, second = self.setting("PDF_LANGUAGES", ("ar", "fr"))
        return str(first), str(second)

    @property
    def STATUS_LIST_SIZE(self) -> int:
        """Entries in each revocation status list; a new list is opened when one is full. The W3C
        minimum, 131,072, hides which certificate a verifier checks among many (check
        certificates.W001 warns below it). A list keeps the size it was opened with."""
        return max(1, int(self.setting("STATUS_LIST_SIZE", 131_072)))

    @property
    def ISSUE_MAX_ATTEMPTS(self) -> int:
        """Attempts at issuing a certificate before it waits for an operator."""
        return max(1, int(self.setting("ISSUE_MAX_ATTEMPTS", 8)))

    @property
    def ISSUE_RETRY_BACKOFF(self) -> float:
        """Seconds before the first retry of a failed issuance; each next wait doubles."""
        return float(self.setting("ISSUE_RETRY_BACKOFF", 30))

    @property
    def ISSUE_RETRY_BACKOFF_MAX(self) -> float:
        """The longest wait between two attempts at issuing a certificate, in seconds."""
        return float(self.setting("ISSUE_RETRY_BACKOFF_MAX", 3600))


app_settings = CertificateSettings("LMS_CERTIFICATES_")
