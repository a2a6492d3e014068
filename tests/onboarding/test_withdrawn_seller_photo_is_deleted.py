"""The published copy of a seller's photo goes when she withdraws her consent, and when her data
is erased: the image, its renditions and their files, so that no public address of them answers.

The public media are asked the way the web server serves them in production: a file under
MEDIA_ROOT at its MEDIA_URL address (Django's static file view, which the site mounts only in
development).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.http import Http404
from django.test import RequestFactory
from django.views.static import serve
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from onboarding import operator_actions
from onboarding.erasure import erase_withdrawn
from onboarding.marketplace.backend import LocalMarketplaceBackend
from onboarding.marketplace.models import SellerProfilePage
from tests.builders import default_site

from .marketplace_builders import applied_case, make_photo, open_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def public_status(url: str) -> int:
    """What a visitor gets for ``url`` from the public media."""
    assert url.startswith(settings.MEDIA_URL)
    request = RequestFactory().get(url)
    try:
        response = serve(request, url[len(settings.MEDIA_URL) :], settings.MEDIA_ROOT)
    except Http404:
        return 404
    return response.status_code


def published_seller() -> tuple[SellerProfilePage, list[str]]:
    """A live seller page with its photo, and the public addresses of the photo's files."""
    default_site()
    case = open_account(applied_case(photo=make_photo()), "active")
    LocalMarketplaceBackend().create_or_update_seller(case)
    page = SellerProfilePage.objects.get(case=case)
    assert page.live and page.photo is not None
    renditions = [page.photo.get_rendition(spec) for spec in ("fill-300x300", "width-800")]
    urls = [page.photo.file.url, *(rendition.url for rendition in renditions)]
    assert [public_status(url) for url in urls] == [200, 200, 200]
    return page, urls


def files_under_media() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_withdrawal_deletes_the_published_photo_its_renditions_and_their_files(
    django_capture_on_commit_callbacks,
):
    page, urls = published_seller()
    image_id = page.photo_id

    # The image's files are deleted after the commit that deleted the image.
    with django_capture_on_commit_callbacks(execute=True):
        operator_actions.withdraw(page.case_id, page.case.learner, "")

    page.refresh_from_db()
    assert not page.live and page.photo_id is None
    assert not get_image_model().objects.filter(pk=image_id).exists()
    assert [public_status(url) for url in urls] == [404, 404, 404]
    assert files_under_media() == []


def test_erasure_deletes_a_published_photo_a_withdrawal_left_behind(
    settings, django_capture_on_commit_callbacks
):
    settings.ONBOARDING_ERASE_AFTER_DAYS = 0
    page, urls = published_seller()
    # Withdrawn without the work done after the commit: as a case withdrawn before the
    # withdrawal deleted the photo.
    operator_actions.withdraw(page.case_id, page.case.learner, "")
    assert [public_status(url) for url in urls] == [200, 200, 200]

    with django_capture_on_commit_callbacks(execute=True):
        assert erase_withdrawn().case_ids == [page.case_id]

    page.refresh_from_db()
    assert page.photo_id is None
    assert [public_status(url) for url in urls] == [404, 404, 404]
    assert files_under_media() == []


def test_an_image_an_editor_chose_from_another_collection_is_left_alone(
    django_capture_on_commit_callbacks,
):
    page, _urls = published_seller()
    root = Collection.get_first_root_node()
    chosen = get_image_model().objects.create(
        title="Zellige", file=get_test_image_file(), collection=root
    )
    SellerProfilePage.objects.filter(pk=page.pk).update(photo=chosen)

    with django_capture_on_commit_callbacks(execute=True):
        operator_actions.withdraw(page.case_id, page.case.learner, "")

    assert get_image_model().objects.filter(pk=chosen.pk).exists()
    assert public_status(chosen.file.url) == 200
