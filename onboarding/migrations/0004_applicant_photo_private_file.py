"""The applicant's photo becomes a private file: each photo kept as a Wagtail image (a public
file under MEDIA_ROOT) is cleaned and copied to the private storage under a random name.
Migration 0003 then deletes the public images."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import migrations, models

import maalem.core.private_files
import onboarding.models


def copy_photos_to_private_storage(apps, schema_editor):
    from maalem.core.private_files import private_storage, random_name
    from onboarding.photos import PHOTO_FOLDER, read_photo

    profile_model = apps.get_model("maalem_onboarding", "ApplicantProfile")
    for profile in profile_model.objects.exclude(photo_image=None).select_related("photo_image"):
        try:
            with profile.photo_image.file.open("rb") as public:
                data = read_photo(public)
        except (OSError, ValidationError):
            # A missing or unusable file: the learner is asked for a photo again.
            continue
        name = private_storage().save(random_name(PHOTO_FOLDER, "jpg"), ContentFile(data))
        profile_model.objects.filter(pk=profile.pk).update(photo=name)


class Migration(migrations.Migration):
    dependencies = [
        ("maalem_onboarding", "0003_provider_answers"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.RenameField(
            model_name="applicantprofile", old_name="photo", new_name="photo_image"
        ),
        migrations.AddField(
            model_name="applicantprofile",
            name="photo",
            field=models.FileField(
                blank=True,
                editable=False,
                max_length=255,
                storage=maalem.core.private_files.private_storage,
                upload_to=onboarding.models.applicant_photo_name,
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(copy_photos_to_private_storage, migrations.RunPython.noop),
    ]
