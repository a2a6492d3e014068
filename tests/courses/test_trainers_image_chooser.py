"""Trainers choose and add pictures only in their own collection: the image chooser offered
them every picture of the site, sellers' photos included."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, GroupCollectionPermission

from lms.courses.trainers import trainers_collection
from onboarding.marketplace.shop_photos import shop_photos_collection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def picture(title, collection):
    return Image.objects.create(title=title, file=get_test_image_file(), collection=collection)


def test_trainers_image_chooser_does_not_list_applicant_or_seller_photos(client, trainer):
    picture("Seller shop photo", shop_photos_collection())
    picture(
        "Old applicant upload", Collection.get_first_root_node().add_child(name="Seller photos")
    )
    picture("Zellige close-up", trainers_collection())
    client.force_login(trainer)

    page = client.get("/admin/images/chooser/").json()["html"]

    assert "Zellige close-up" in page
    assert "Seller shop photo" not in page
    assert "Old applicant upload" not in page


def test_trainers_picture_permissions_move_off_the_root_collection(catalogue):
    migration = import_module("lms.courses.migrations.0002_trainers_pictures_in_their_collection")
    root = Collection.get_first_root_node()
    group = Group.objects.create(name="Trainers")
    for codename in ("add_image", "choose_image", "add_document"):
        GroupCollectionPermission.objects.create(
            group=group, collection=root, permission=Permission.objects.get(codename=codename)
        )
    in_root = picture("Lesson picture", root)
    seller = picture("Seller shop photo", shop_photos_collection())

    migration.restrict_trainers_pictures(apps, None)

    grants = GroupCollectionPermission.objects.filter(group=group)
    assert {(g.collection.name, g.permission.codename) for g in grants} == {
        ("Course media", "add_image"),
        ("Course media", "choose_image"),
        (root.name, "add_document"),
    }
    assert Image.objects.get(pk=in_root.pk).collection.name == "Course media"
    assert Image.objects.get(pk=seller.pk).collection.name == "Shop photos"
    # The collection made in the migration is a proper child of the root.
    assert Collection.objects.get(name="Course media").get_parent() == root
