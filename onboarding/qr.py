"""A seller's merchant-presented QR code (EMV® QRCPS, :mod:`onboarding.emvco`), from her case.

The provider names the account (its globally unique identifier and the merchant id, stored on
the case when the account is active); the application gives the shop's name, its craft (the
merchant category code, :mod:`onboarding.qr_tables`) and its region (the town). The code is
static, with no amount: the buyer types what she pays. Everything in it is public by nature,
since it is printed on the stall: no personal data of the artisan beyond the shop and its town.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from maalem.core.text import without_bidi_controls

from . import emvco
from .conf import app_settings
from .models import ApplicantProfile, OnboardingCase
from .providers.base import AccountStatus
from .qr_tables import MERCHANT_CATEGORY_CODES, MISCELLANEOUS_RETAIL, REGION_SEATS

logger = logging.getLogger(__name__)

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# The merchant account information template the code puts the provider's identifiers in.
ACCOUNT_TEMPLATE_ID = "26"
# A shop named only in a script anyascii cannot spell (none of Maalem's) still has a name.
FALLBACK_NAME = "Artisan"


@dataclass(frozen=True)
class SellerQR:
    payload: str
    qr: emvco.MerchantQR

    def svg(self, label: str = "") -> SafeString:
        """The code as inline SVG that scales with its box, named ``label`` for screen
        readers. Error correction M survives a crease or a thumb on a printed code."""
        return inline_svg(self.payload, label or gettext("QR code to pay this shop"))

    def svg_data_uri(self) -> str:
        return str(segno.make(self.payload, error="m", micro=False).svg_data_uri(border=4))


@lru_cache(maxsize=512)
def inline_svg(payload: str, label: str) -> SafeString:
    # Drawing a code takes tens of milliseconds; a seller's page shows the same one at every
    # view, so each process keeps the last few hundred (about 5 KB each).
    code = segno.make(payload, error="m", micro=False)
    svg = code.svg_inline(border=4, omitsize=True, svgclass="qr", lineclass=None)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def merchant_category_code(craft: Any) -> str:
    """The ISO 18245 code of a craft (a ``Craft`` or None): its own, its chain's, or 5999."""
    table = {**MERCHANT_CATEGORY_CODES, **app_settings.MERCHANT_CATEGORY_CODES}
    if craft is None:
        return MISCELLANEOUS_RETAIL
    return table.get(craft.code) or table.get(craft.chain.code) or MISCELLANEOUS_RETAIL


def split_name(shop_name: str) -> tuple[str, str]:
    """The shop's name for the Latin field (at most 25 characters) and in Arabic script
    (empty when it has none): a name written in both ("Tapis Latifa · زرابي لطيفة") gives
    each part to its field; one in Arabic only is spelt in Latin letters for the Latin one."""
    name = without_bidi_controls(shop_name).strip()
    arabic_letters = [match.start() for match in ARABIC.finditer(name)]
    arabic = name[arabic_letters[0] : arabic_letters[-1] + 1] if arabic_letters else ""
    rest = ARABIC.sub("", name)
    latin_source = rest if re.search(r"[^\W\d_]", rest) else name
    # What separated the two parts ("·", "-", "/") is left at the end of the Latin one.
    latin_name = emvco.latin(latin_source, 25).strip(" -*|/.,:;")
    return latin_name or FALLBACK_NAME, arabic[:25].strip()


def merchant_qr(case: OnboardingCase, applicant: ApplicantProfile | None) -> SellerQR | None:
    """The case's static QR code, or None while its account cannot be paid (not active, or
    the provider gave no QR identifiers)."""
    identifiers = case.merchant_qr or {}
    if case.payment_account_status != AccountStatus.ACTIVE or not identifiers.get("gui"):
        return None
    shop_name = applicant.shop_name if applicant is not None else ""
    region = applicant.region if applicant is not None else ""
    name, arabic_name = split_name(shop_name)
    city, arabic_city = REGION_SEATS.get(region, (emvco.latin(region, 15), ""))
    qr = emvco.MerchantQR(
        accounts=(
            emvco.MerchantAccount(
                gui=str(identifiers["gui"]),
                fields={"01": str(identifiers.get("merchant_id", ""))},
                id=ACCOUNT_TEMPLATE_ID,
            ),
        ),
        mcc=merchant_category_code(applicant.craft if applicant is not None else None),
        currency=app_settings.MERCHANT_QR_CURRENCY,
        country=app_settings.MERCHANT_QR_COUNTRY,
        name=name,
        city=city or FALLBACK_NAME,
        alternate=emvco.LanguageTemplate("ar", arabic_name, arabic_city) if arabic_name else None,
    )
    try:
        return SellerQR(emvco.build(qr), qr)
    except emvco.PayloadError as error:
        # The provider's identifiers break a rule (too long, a character outside the set):
        # no code rather than one a buyer's app refuses.
        logger.error("case %s: no merchant QR code: %s", case.pk, error)
        return None


def case_qr(case: OnboardingCase) -> SellerQR | None:
    applicant = ApplicantProfile.objects.filter(case=case).select_related("craft__chain").first()
    return merchant_qr(case, applicant)
