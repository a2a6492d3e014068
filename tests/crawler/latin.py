"""Latin-script words on an Arabic page: each is a name, a code, a number, or a finding.

Names come from the data (people, shops, course titles written in Latin letters). Codes are
tokens with a digit, e-mail addresses, addresses of web pages, and verification codes. Text
marked with another language (``lang="fr"``, as the language menu marks "Français") is that
language's, not a slip in the Arabic page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from wagtail.models import Page

from lms.certificates.conf import app_settings as certificates
from onboarding.models import ApplicantProfile

# Latin letters, with accents; not the signs × and ÷ that sit among them.
LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]+")
ARABIC = re.compile(r"[\u0600-\u06FF]")
CODE = re.compile(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4})+")
EMAIL_OR_ADDRESS = re.compile(r"\S+@\S+|\w+://\S+|www\.\S+|\S+\.(?:ma|com|org|net|json)\b")
# Keep these short. Units and file formats:
UNITS = {"kb", "mb", "gb", "ko", "mo", "go", "px", "pdf", "jpeg", "jpg", "png", "webp"}
# Words the learner reads in Latin letters on the phone, the card or the payment terminal, which
# the Arabic lessons name as they are printed: "متجر Play", "(PIN)", "رمز QR", "(TPE)".
PRINTED = {"play", "pin", "sim", "qr", "tpe", "sms", "iban", "rib"}
ALLOWED = UNITS | PRINTED


def names_from_data() -> set[str]:
    """Lower-case words of the proper names the data holds in Latin letters."""
    texts: list[str] = [certificates.ISSUER_NAME]  # the issuer printed on certificates
    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        texts += [first, last]
    texts += ApplicantProfile.objects.values_list("shop_name", flat=True)
    texts += [
        title
        for title in Page.objects.filter(locale__language_code="ar").values_list("title", flat=True)
        if not ARABIC.search(title)
    ]
    return {word.lower() for text in texts for word in LATIN_WORD.findall(text or "")}


def latin_words(texts: Iterable[tuple[str, str]], names: set[str]) -> list[str]:
    """The Latin words of the Arabic ``(language, text)`` pairs that are no name or code."""
    found: list[str] = []
    for language, text in texts:
        if language.split("-")[0] not in {"ar", ""}:
            continue
        for token in text.split():
            if any(char.isdigit() for char in token) or CODE.fullmatch(token.strip(".,:;()")):
                continue
            if EMAIL_OR_ADDRESS.search(token):
                continue
            for word in LATIN_WORD.findall(token):
                if word.lower() not in names and word.lower() not in ALLOWED:
                    found.append(word)
    return found
