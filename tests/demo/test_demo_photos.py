"""The demo applicants' photos are taken as a phone takes them (with EXIF), yet none is under
MEDIA_URL, and the copies on the public seller and product pages carry no metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image

from maalem.core.private_files import private_storage
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import ApplicantProfile

from .test_demo_onboarding import demo_site, sandbox_state  # noqa: F401  (the module's demo, built once)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


def applicant_photos() -> list[str]:
    return list(ApplicantProfile.objects.exclude(photo="").values_list("photo", flat=True))


def test_the_demo_applicants_carry_a_photo_in_the_private_storage() -> None:
    names = applicant_photos()

    assert len(names) >= 5
    for name in names:
        assert private_storage().exists(name)


def test_no_demo_applicant_photo_is_reachable_under_media_url(client: Any) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    published = {path.read_bytes() for path in media.rglob("*") if path.is_file()}
    for name in applicant_photos():
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
        assert media not in Path(private_storage().path(name)).resolve().parents
        with private_storage().open(name, "rb") as stored:
            assert stored.read() not in published


def test_the_public_seller_photos_carry_no_exif() -> None:
    pages = SellerProfilePage.objects.exclude(photo=None).select_related("photo")

    assert pages.count() >= 2
    for page in pages:
        assert page.photo is not None
        with page.photo.open_file() as stored, Image.open(stored) as image:
            assert not dict(image.getexif()), page.slug
            assert "exif" not in image.info


def test_the_stored_originals_were_re_encoded_without_the_phone_s_exif() -> None:
    for name in applicant_photos():
        with private_storage().open(name, "rb") as stored, Image.open(stored) as image:
            assert not image.getexif().get_ifd(0x8825), name


def test_every_live_demo_seller_has_products_in_several_states_with_clean_photos() -> None:
    from onboarding.marketplace.models import Product

    for page in SellerProfilePage.objects.live():
        products = Product.objects.filter(seller=page)
        assert {"live", "draft", "hidden"} <= set(products.values_list("status", flat=True))
        assert all(product.title_ar and product.title_fr for product in products)
        for product in products.filter(status="live"):
            for photo in product.photos.exclude(image=None).select_related("image"):
                with photo.image.open_file() as stored, Image.open(stored) as image:
                    assert not dict(image.getexif()), product.public_id
