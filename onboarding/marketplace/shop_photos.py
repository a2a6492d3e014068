"""The photo on a seller's public page: a copy of the applicant's private photo made for
publication (smaller, no metadata, a random name), kept as a Wagtail image in the "Shop
photos" collection. The private original never leaves the private storage."""

from __future__ import annotations

import io
import logging
import secrets
from typing import Any

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from ..photos import publication_copy

logger = logging.getLogger(__name__)

SHOP_PHOTOS = "Shop photos"


def shop_photos_collection() -> Collection:
    existing = Collection.objects.filter(name=SHOP_PHOTOS).first()
    if existing is not None:
        return existing
    # Wagtail's migrations create the root collection; a site whose data was flushed has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.add_child(name=SHOP_PHOTOS)


def shop_photo(case: Any, applicant: Any, current_id: int | None) -> Any:
    """The public image for ``applicant``'s photo: the current one if it is already the copy
    of that photo, else a new copy (the previous copy is deleted). ``None`` without a photo."""
    image_model = get_image_model()
    current = image_model.objects.filter(pk=current_id).first() if current_id else None
    if applicant is None or not applicant.photo:
        return current
    try:
        data = publication_copy(applicant.photo.name)
    except OSError:
        # A seller page without its photo is better than a seller who cannot be paid.
        logger.warning("case %s: the applicant photo cannot be read", case.pk)
        return current
    digest = hash_filelike(io.BytesIO(data))
    if current is not None and current.file_hash == digest:
        return current
    image = image_model(
        title=f"Shop photo, case {case.pk}",
        file=ImageFile(io.BytesIO(data), name=f"{secrets.token_hex(16)}.jpg"),
        collection=shop_photos_collection(),
    )
    image._set_image_file_metadata()
    image.save()
    if current is not None and current.collection_id == image.collection_id:
        current.delete()
    return image
