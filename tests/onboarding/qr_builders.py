"""Builders for the merchant QR tests (no tests here): a live seller whose account the provider
gave QR identifiers, and a reader of QR codes in PDFs and SVG."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import zxingcpp
from django.utils import timezone
from PIL import Image
from weasyprint import HTML

from onboarding import provisioning
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import OnboardingCase
from onboarding.providers.base import MerchantQRAccount, PaymentAccount
from tests.builders import default_site

from .marketplace_builders import applied_case

QR_ACCOUNT = MerchantQRAccount(gui="ma.maalem.sandbox", merchant_id="000123456789012")


def live_seller(**application: Any) -> tuple[OnboardingCase, SellerProfilePage]:
    """A seller whose account is active with QR identifiers, and her live page."""
    default_site()
    case = applied_case(**application)
    account = PaymentAccount(
        f"acct_{case.pk:08d}", "active", [], timezone.now(), merchant_qr=QR_ACCOUNT
    )
    provisioning.apply_account(case.pk, account, actor_label="payment provider")
    case = OnboardingCase.objects.get(pk=case.pk)
    LocalMarketplaceBackend().create_or_update_seller(case)
    return case, SellerProfilePage.objects.get(case=case)


def pdf_pages_png(pdf: bytes, tmp_path: Path, resolution: int = 150) -> list[Image.Image]:
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), str(source), str(prefix)], check=True
    )
    return [Image.open(path) for path in sorted(tmp_path.glob("page*.png"))]


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def qr_svgs(html: str) -> list[str]:
    return re.findall(r'<svg [^>]*class="qr"[^>]*>.*?</svg>', html, flags=re.S)


def svg_png(svg: str, tmp_path: Path) -> Image.Image:
    """The inline SVG drawn as a page would draw it (by WeasyPrint, then rasterised)."""
    html = f'<html><body style="margin:0"><div style="width:60mm">{svg}</div></body></html>'
    (page,) = pdf_pages_png(HTML(string=html).write_pdf(), tmp_path)
    return page
