"""Deletes the applicant photos that were public Wagtail images (files, renditions and rows)
and their "Seller photos" collection, once 0002 has copied them to the private storage and the
marketplace has made its own public copies (its migration runs before this one)."""

from django.db import migrations


def delete_public_applicant_photos(apps, schema_editor):
    profile_model = apps.get_model("maalem_onboarding", "ApplicantProfile")
    image_model = apps.get_model("wagtailimages", "Image")
    rendition_model = apps.get_model("wagtailimages", "Rendition")
    collection_model = apps.get_model("wagtailcore", "Collection")
    seller_photos = collection_model.objects.filter(name="Seller photos", depth=2)
    ids = set(profile_model.objects.exclude(photo_image=None).values_list("photo_image", flat=True))
    ids |= set(image_model.objects.filter(collection__in=seller_photos).values_list("pk", flat=True))
    for image in image_model.objects.filter(pk__in=ids):
        for rendition in rendition_model.objects.filter(image=image):
            rendition.file.delete(save=False)
        image.file.delete(save=False)
        image.delete()
    for collection in seller_photos:
        if collection.numchild or image_model.objects.filter(collection=collection).exists():
            continue
        documents = apps.get_model("wagtaildocs", "Document")
        if documents.objects.filter(collection=collection).exists():
            continue
        parent = collection_model.objects.get(path=collection.path[:-4])
        collection.delete()
        collection_model.objects.filter(pk=parent.pk).update(numchild=max(parent.numchild - 1, 0))
    if schema_editor.connection.vendor == "postgresql":
        # The deletes leave deferred foreign-key checks pending, and PostgreSQL will not alter
        # a table with pending checks: run them now, before the RemoveField below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("maalem_onboarding", "0004_applicant_photo_private_file"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(delete_public_applicant_photos, migrations.RunPython.noop),
        migrations.RemoveField(model_name="applicantprofile", name="photo_image"),
    ]
