"""The seller's photo: what an upload must be, and where it is kept once accepted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection

from .conf import app_settings
from .models import OnboardingCase

PHOTO_COLLECTION = "Seller photos"
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_max_size() -> int:
    return app_settings.PHOTO_MAX_SIZE


def check_photo(upload: UploadedFile) -> None:
    """Refuse an upload that is too big, or that is not a JPEG, PNG or WebP image."""
    size = upload.size or 0
    if size > photo_max_size():
        raise ValidationError(
            _("This photo is too big (%(size)s). Send a photo smaller than %(limit)s."),
            code="photo_too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(photo_max_size())},
        )
    try:
        with PILImage.open(upload) as image:
            image_format = image.format
            image.verify()
    except Exception:  # noqa: BLE001  Pillow raises many kinds of errors on a bad file.
        image_format = None
    upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise ValidationError(
            _("This file is not a photo we can use. Send a JPEG, PNG or WebP photo."),
            code="photo_format",
        )


def store_photo(case: OnboardingCase, upload: UploadedFile, learner: Any) -> AbstractImage:
    """Keep an uploaded photo as a Wagtail image in the "Seller photos" collection.

    The title names the case, not the person: image titles show up in the admin and in logs.
    """
    image_model = get_image_model()
    image = image_model(
        title=f"Seller photo, case {case.pk}",
        file=upload,
        collection=seller_photos_collection(),
        uploaded_by_user=learner,
    )
    image._set_image_file_metadata()
    image.save()
    return image


def seller_photos_collection() -> Collection:
    existing = Collection.objects.filter(name=PHOTO_COLLECTION).first()
    if existing is not None:
        return existing
    # Wagtail's migrations create the root collection; a site whose data was flushed has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.add_child(name=PHOTO_COLLECTION)
