"""A product's photos: re-encoded without their EXIF, five at most, public only while the product
is for sale, and gone with the product when the seller withdraws or her data is erased."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model

from maalem.core.personal_data import erase_user
from maalem.core.private_files import private_storage
from onboarding import operator_actions
from onboarding.erasure import erase_withdrawn
from onboarding.marketplace.models import Product, ProductPhoto
from onboarding.marketplace.product_photos import add_photo
from onboarding.marketplace.products import hide

from .product_builders import make_product, phone_photo, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


@pytest.fixture
def product():
    return make_product(selling_seller())


def test_a_photo_is_re_encoded_without_its_exif_and_kept_private(client, product):
    client.force_login(product.seller.case.learner)
    url = reverse("marketplace_seller:add_photo", args=[product.public_id])

    client.post(url, {"photo": phone_photo()})

    (photo,) = product.photos.all()
    with private_storage().open(photo.private_name, "rb") as kept:
        image = Image.open(io.BytesIO(kept.read()))
    assert image.format == "JPEG" and not image.getexif()
    with photo.image.open_file() as public:
        assert not Image.open(public).getexif()
    seen = client.get(reverse("marketplace_seller:photo", args=[product.public_id, photo.pk]))
    assert seen.status_code == 200 and seen["Cache-Control"] == "private, no-store"


def test_a_sixth_photo_is_refused_with_a_clear_message(client, product):
    for number in range(5):
        add_photo(product, phone_photo(f"{number}.jpg"))
    client.force_login(product.seller.case.learner)

    response = client.post(
        reverse("marketplace_seller:add_photo", args=[product.public_id]),
        {"photo": phone_photo()},
        follow=True,
    )

    assert product.photos.count() == 5
    assert "Un produit peut avoir 5 photos au plus" in response.content.decode()


def test_a_file_that_is_not_a_photo_is_refused(client, product):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(product.seller.case.learner)
    fake = SimpleUploadedFile("photo.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(
        reverse("marketplace_seller:add_photo", args=[product.public_id]),
        {"photo": fake},
        follow=True,
    )

    assert product.photos.count() == 0
    assert response.status_code == 200 and 'class="error"' in response.content.decode()


def test_photos_are_reordered_and_removed(client, product):
    first, second = (
        add_photo(product, phone_photo("a.jpg")),
        add_photo(product, phone_photo("b.jpg")),
    )
    client.force_login(product.seller.case.learner)

    client.post(
        reverse("marketplace_seller:move_photo", args=[product.public_id, second.pk]),
        {"direction": "earlier"},
    )
    assert list(product.photos.values_list("pk", flat=True)) == [second.pk, first.pk]

    client.post(reverse("marketplace_seller:remove_photo", args=[product.public_id, first.pk]))
    assert list(product.photos.values_list("pk", flat=True)) == [second.pk]


def test_hiding_a_product_deletes_the_public_copies_of_its_photos(product):
    photo = add_photo(product, phone_photo())
    image_id = photo.image_id
    assert image_id is not None

    hide(product)

    assert not get_image_model().objects.filter(pk=image_id).exists()
    assert ProductPhoto.objects.get(pk=photo.pk).private_name  # hers, still


def test_withdrawal_deletes_her_products_and_their_photos(
    django_capture_on_commit_callbacks, product
):
    photo = add_photo(product, phone_photo())
    name, image_id = photo.private_name, photo.image_id

    with django_capture_on_commit_callbacks(execute=True):
        operator_actions.withdraw(product.seller.case_id, product.seller.case.learner, "")

    assert not Product.objects.filter(pk=product.pk).exists()
    assert not get_image_model().objects.filter(pk=image_id).exists()
    assert not private_storage().exists(name)


def test_erasure_deletes_products_a_withdrawal_left_behind(
    settings, django_capture_on_commit_callbacks, product
):
    settings.ONBOARDING_ERASE_AFTER_DAYS = 0
    operator_actions.withdraw(product.seller.case_id, product.seller.case.learner, "")
    assert Product.objects.filter(pk=product.pk).exists()  # the after-commit work did not run

    with django_capture_on_commit_callbacks(execute=True):
        erase_withdrawn()

    assert not Product.objects.filter(pk=product.pk).exists()


def test_erasing_her_account_deletes_her_products_and_photos(
    django_capture_on_commit_callbacks, product
):
    photo = add_photo(product, phone_photo())

    with django_capture_on_commit_callbacks(execute=True):
        erase_user(product.seller.case.learner_id)

    assert not Product.objects.filter(pk=product.pk).exists()
    assert not private_storage().exists(photo.private_name)
