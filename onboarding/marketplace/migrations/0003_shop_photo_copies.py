"""A seller page showed the applicant's own uploaded image, EXIF and all. Each such page gets a
copy made for publication (smaller, no metadata, a random name) in the "Shop photos"
collection, before onboarding's migration 0003 deletes the uploaded images."""

import hashlib
import io
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations
from PIL import Image as PILImage


def copy_shop_photos(apps, schema_editor):
    from maalem.core.migration_collections import child_collection
    from onboarding.photos import copy_for_publication

    page_model = apps.get_model("maalem_marketplace", "SellerProfilePage")
    image_model = apps.get_model("wagtailimages", "Image")
    profile_model = apps.get_model("maalem_onboarding", "ApplicantProfile")
    applicant_images = set(
        profile_model.objects.exclude(photo_image=None).values_list("photo_image", flat=True)
    )
    for page in page_model.objects.exclude(photo=None).select_related("photo__collection"):
        old = page.photo
        if old.pk not in applicant_images and old.collection.name != "Seller photos":
            continue  # a picture an editor chose: not an applicant's upload
        try:
            with old.file.open("rb") as uploaded:
                data = copy_for_publication(uploaded)
        except (OSError, PILImage.UnidentifiedImageError):
            page_model.objects.filter(pk=page.pk).update(photo=None)
            continue
        with PILImage.open(io.BytesIO(data)) as decoded:
            width, height = decoded.size
        name = default_storage.save(
            f"original_images/{secrets.token_hex(16)}.jpg", ContentFile(data)
        )
        copy = image_model.objects.create(
            title=f"Shop photo, case {page.case_id}",
            file=name,
            width=width,
            height=height,
            file_size=len(data),
            file_hash=hashlib.sha1(data).hexdigest(),  # noqa: S324  Wagtail's own file hash
            collection=child_collection(apps, "Shop photos"),
        )
        page_model.objects.filter(pk=page.pk).update(photo=copy)


class Migration(migrations.Migration):
    dependencies = [
        ("maalem_marketplace", "0002_initial"),
        ("maalem_onboarding", "0004_applicant_photo_private_file"),
        ("wagtailimages", "0027_image_description"),
    ]
    run_before = [("maalem_onboarding", "0005_delete_public_applicant_photos")]

    operations = [migrations.RunPython(copy_shop_photos, migrations.RunPython.noop)]
