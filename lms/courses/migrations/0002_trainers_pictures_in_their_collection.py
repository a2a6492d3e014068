"""Trainers could choose and add pictures in the root collection, so every picture of the site
(applicants' photos included) was offered to them. Their picture permissions move to their own
"Course media" collection, with the pictures that were directly in the root."""

from django.conf import settings
from django.db import migrations

PICTURE_CODENAMES = ("add_image", "choose_image")


def restrict_trainers_pictures(apps, schema_editor):
    from maalem.core.migration_collections import child_collection, root_collection

    group = (
        apps.get_model("auth", "Group")
        .objects.filter(name=getattr(settings, "LMS_TRAINERS_GROUP", "Trainers"))
        .first()
    )
    if group is None:
        return
    permissions = list(
        apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label="wagtailimages", codename__in=PICTURE_CODENAMES
        )
    )
    grants = apps.get_model("wagtailcore", "GroupCollectionPermission").objects
    root = root_collection(apps)
    own = child_collection(apps, "Course media")
    wide = grants.filter(group=group, permission__in=permissions).exclude(collection=own)
    if not wide.exists():
        return
    wide.delete()
    for permission in permissions:
        grants.get_or_create(group=group, collection=own, permission=permission)
    apps.get_model("wagtailimages", "Image").objects.filter(collection=root).update(
        collection=own
    )


class Migration(migrations.Migration):
    dependencies = [
        ("maalem_courses", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(restrict_trainers_pictures, migrations.RunPython.noop)]
