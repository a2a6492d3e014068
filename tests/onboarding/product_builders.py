"""Builders for the product tests (no tests here): a selling seller, her products, photos."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import MarketplaceIndexPage, Product, SellerProfilePage
from onboarding.marketplace.products import save_product
from tests.builders import default_site, make_arabic_copy

from .marketplace_builders import applied_case, make_photo, open_account
from .onboarding_builders import make_craft


def selling_seller(shop_name: str = "Atelier Zellige", **application: Any) -> SellerProfilePage:
    """A learner whose seller page is live: applied, account active, page published."""
    default_site()
    application.setdefault("craft", make_craft("zellige", chain="building"))
    application.setdefault("region", "Fès-Meknès")
    case = applied_case(shop_name=shop_name, photo=make_photo(), **application)
    case = open_account(case, "active")
    LocalMarketplaceBackend().create_or_update_seller(case)
    return SellerProfilePage.objects.get(case=case)


def arabic_marketplace() -> MarketplaceIndexPage:
    index = MarketplaceIndexPage.objects.filter(locale__language_code="fr").get()
    existing = MarketplaceIndexPage.objects.filter(locale__language_code="ar").first()
    return existing or make_arabic_copy(index, "السوق")


def make_product(seller: SellerProfilePage, *, for_sale: bool = True, **fields: Any) -> Product:
    values = {
        "title_fr": "Plat en zellige",
        "title_ar": "طبق زليج",
        "price": 12050,
        "craft": seller.craft,
        **fields,
    }
    return save_product(Product(seller=seller, **values), for_sale=for_sale)


def phone_photo(name: str = "IMG_0001.jpg", size: tuple[int, int] = (640, 480)) -> Any:
    """A JPEG as a phone sends it: with the camera's model and a GPS position in its EXIF."""
    image = Image.new("RGB", size, (180, 90, 40))
    exif = Image.Exif()
    exif[0x0110] = "Test Phone"
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 37.0, 48.0), 3: "W", 4: (7.0, 59.0, 24.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
