"""The seller's public page shows a copy of the applicant's photo made for publication: smaller,
with no EXIF (no GPS position, no camera), under a random name; the private original stays
private."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from maalem.core.private_files import private_storage
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import SellerProfilePage
from tests.builders import default_site

from .marketplace_builders import applied_case, make_photo, open_account
from .photo_builders import CAMERA, jpeg_with_exif

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def phone_photo(width: int = 3000, height: int = 2000) -> str:
    data = jpeg_with_exif(width, height, orientation=1)
    return make_photo(SimpleUploadedFile("IMG_20261201_202020.jpg", data, "image/jpeg"))


def test_seller_original_photo_exif_and_gps_stay_private_the_page_shows_a_clean_copy():
    default_site()
    private_name = phone_photo()
    case = open_account(applied_case(photo=private_name), "active")

    LocalMarketplaceBackend().create_or_update_seller(case)

    public = SellerProfilePage.objects.get(case=case).photo
    assert public.collection.name == "Shop photos"
    assert "IMG_" not in public.file.name and private_name not in public.file.name
    with public.file.open("rb") as published:
        data = published.read()
    assert CAMERA.encode() not in data
    with PILImage.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert max(image.size) == 1200
    assert private_storage().exists(private_name)


def test_publishing_again_keeps_the_copy_and_a_new_photo_replaces_it():
    default_site()
    case = open_account(applied_case(photo=phone_photo()), "active")
    backend = LocalMarketplaceBackend()
    backend.create_or_update_seller(case)
    first = SellerProfilePage.objects.get(case=case).photo

    backend.create_or_update_seller(case)
    assert SellerProfilePage.objects.get(case=case).photo == first

    case.applicant.photo = phone_photo(800, 600)
    case.applicant.save()
    backend.create_or_update_seller(case)

    second = SellerProfilePage.objects.get(case=case).photo
    assert second != first
    assert list(get_image_model().objects.all()) == [second]
