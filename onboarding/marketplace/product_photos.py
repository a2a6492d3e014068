"""A product's photos: the upload is cleaned as every upload is (:func:`onboarding.photos.read_photo`:
decoded, turned upright, re-encoded as a JPEG with no metadata and nothing appended) and kept in
the private storage under a random name. Only while the product is for sale does each photo
have a public copy, a smaller Wagtail image in the "Product photos" collection; hiding,
deleting or withdrawing deletes those copies with their renditions and files.
"""

from __future__ import annotations

import io
import logging
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Collection

from maalem.core.private_files import PrivateFile, private_storage, random_name

from ..photos import publication_copy, read_photo
from .product_models import Product, ProductPhoto

logger = logging.getLogger(__name__)

PHOTO_FOLDER = "marketplace/products"
PRODUCT_PHOTOS = "Product photos"
PHOTO_KIND = "marketplace.product_photo"
#: The most photos a product may have.
MAX_PHOTOS = 5


def product_photos_collection() -> Collection:
    existing = Collection.objects.filter(name=PRODUCT_PHOTOS).first()
    if existing is not None:
        return existing
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    return root.add_child(name=PRODUCT_PHOTOS)


def add_photo(product: Product, upload: Any) -> ProductPhoto:
    """Keep the cleaned upload as the product's last photo (``read_photo`` refuses a bad one)."""
    data = read_photo(upload)
    name = private_storage().save(random_name(PHOTO_FOLDER, "jpg"), ContentFile(data))
    last = product.photos.order_by("-position").values_list("position", flat=True).first()
    photo = ProductPhoto.objects.create(
        product=product, private_name=name, position=(last + 1) if last is not None else 0
    )
    if product.status == "live":
        publish_photo(photo)
    return photo


def publish_photo(photo: ProductPhoto) -> None:
    """Give ``photo`` its public copy, if it has none."""
    if photo.image_id:
        return
    try:
        data = publication_copy(photo.private_name)
    except OSError:
        logger.warning("product photo %s cannot be read", photo.pk)
        return
    image = get_image_model()(
        title=f"Product photo {photo.pk}",
        file=ImageFile(io.BytesIO(data), name=f"{secrets.token_hex(16)}.jpg"),
        collection=product_photos_collection(),
    )
    image._set_image_file_metadata()
    image.save()
    ProductPhoto.objects.filter(pk=photo.pk).update(image=image)
    photo.image = image


def publish_photos(product: Product) -> None:
    for photo in product.photos.filter(image__isnull=True):
        publish_photo(photo)


def unpublish_photos(product: Product) -> int:
    """Delete the public copies of the product's photos; the private photos stay for her."""
    images = get_image_model().objects.filter(
        pk__in=product.photos.exclude(image=None).values("image")
    )
    count = 0
    for image in images:
        image.delete()  # Wagtail deletes the files of the image and its renditions
        count += 1
    return count


def remove_photo(photo: ProductPhoto) -> None:
    photo.delete()  # the receiver below deletes the files


def move_photo(photo: ProductPhoto, step: int) -> None:
    """Swap ``photo`` with its neighbour before (``step`` -1) or after (+1) it."""
    photos = list(photo.product.photos.order_by("position", "pk"))
    index = next(i for i, item in enumerate(photos) if item.pk == photo.pk)
    other = index + step
    if not 0 <= other < len(photos):
        return
    photos[index], photos[other] = photos[other], photos[index]
    for position, item in enumerate(photos):
        if item.position != position:
            ProductPhoto.objects.filter(pk=item.pk).update(position=position)


@receiver(post_delete, sender=ProductPhoto, dispatch_uid="marketplace.delete_product_photo_files")
def delete_photo_files(sender: Any, instance: ProductPhoto, **kwargs: Any) -> None:
    """Whatever deleted the photo (her, a withdrawal, an erasure, the seller page's deletion),
    its private file and its public copy go too, once that is committed."""
    name, image_id = instance.private_name, instance.image_id
    if image_id:
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is not None:
            image.delete()
    if name:
        transaction.on_commit(lambda: private_storage().delete(name))


def served_photo(photo: ProductPhoto) -> PrivateFile:
    return PrivateFile(
        name=photo.private_name,
        kind=PHOTO_KIND,
        object_ref=str(photo.pk),
        content_type="image/jpeg",
        download_name=f"product-photo-{photo.pk}.jpg",
    )
