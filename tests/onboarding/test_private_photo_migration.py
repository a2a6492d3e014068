"""Photos that applicants sent before photos were private were public Wagtail images under
MEDIA_ROOT, with their EXIF. The migrations copy each, cleaned, to the private storage under a
random name, and delete the public image, its file and its collection."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection

from maalem.core.migration_collections import child_collection
from maalem.core.private_files import private_storage
from onboarding.models import ApplicantProfile

from .photo_builders import CAMERA, jpeg_with_exif

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("kyc")]

BEFORE = [("maalem_onboarding", "0001_initial"), ("maalem_marketplace", "0002_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_public_identity_photos_with_guessable_names_move_to_private_storage(settings):
    apps = migrate(BEFORE)
    learner = apps.get_model("auth", "User").objects.create(username="fatima")
    case = apps.get_model("maalem_onboarding", "OnboardingCase").objects.create(learner=learner)
    public_name = default_storage.save(
        "original_images/IMG_20261201_202020.jpg", ContentFile(jpeg_with_exif(60, 40))
    )
    image = apps.get_model("wagtailimages", "Image").objects.create(
        title="Seller photo, case 1",
        file=public_name,
        width=60,
        height=40,
        collection=child_collection(apps, "Seller photos"),
    )
    apps.get_model("maalem_onboarding", "ApplicantProfile").objects.create(case=case, photo=image)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    profile = ApplicantProfile.objects.get(case_id=case.pk)
    assert profile.photo.name.startswith("onboarding/photos/")
    assert "IMG_" not in profile.photo.name
    with private_storage().open(profile.photo.name, "rb") as stored:
        data = stored.read()
    assert CAMERA.encode() not in data
    with PILImage.open(io.BytesIO(data)) as cleaned:
        assert cleaned.size == (40, 60)
    assert not default_storage.exists(public_name)
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert not Image.objects.exists()
    assert not Collection.objects.filter(name="Seller photos").exists()
