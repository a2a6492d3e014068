"""The photo on a seller's public page: a copy of the applicant's private photo made for
publication (smaller, no metadata, a random name), kept as a Wagtail image in the "Shop
photos" collection. The private original never leaves the private storage.

When the seller withdraws her consent, or her data is erased, the copy is deleted with its
renditions and their files (:func:`delete_shop_photos`): a withdrawn seller's photo has no
public address left."""

from __future__ import annotations

import io
import logging
import secrets
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction
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


def shop_photo_title(case_id: int) -> str:
    return f"Shop photo, case {case_id}"


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
        title=shop_photo_title(case.pk),
        file=ImageFile(io.BytesIO(data), name=f"{secrets.token_hex(16)}.jpg"),
        collection=shop_photos_collection(),
    )
    image._set_image_file_metadata()
    image.save()
    if current is not None and current.collection_id == image.collection_id:
        current.delete()
    return image


def delete_shop_photos(case_id: int) -> int:
    """Delete every published copy of ``case_id``'s photo; Wagtail deletes the files of the
    image and of its renditions after the commit. Returns how many images were deleted."""
    from .models import SellerProfilePage

    image_model = get_image_model()
    collection = Collection.objects.filter(name=SHOP_PHOTOS).first()
    pages = SellerProfilePage.objects.filter(case=case_id)
    ids = set(pages.exclude(photo=None).values_list("photo_id", flat=True))
    if collection is not None:
        copies = image_model.objects.filter(collection=collection, title=shop_photo_title(case_id))
        ids |= set(copies.values_list("pk", flat=True))
    # Only copies made for publication: never an image an editor put in another collection.
    images = image_model.objects.filter(pk__in=ids, collection=collection)
    deleted = 0
    with transaction.atomic():
        pages.filter(photo__in=images).update(photo=None)
        for image in images:
            image.delete()
            deleted += 1
    if deleted:
        logger.info("case %s: %s published photo(s) deleted", case_id, deleted)
    return deleted
