"""What becomes of an uploaded applicant photo: a clean JPEG under a random name in the private
storage, never a public file, never what the client sent; too big or too many pixels, it is
refused early with a message the learner can act on."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from PIL import Image as PILImage

from maalem.core.private_files import private_storage
from onboarding.models import ApplicantProfile
from onboarding.sizes import file_size_words
from tests.i18n import french

from .onboarding_builders import application_url, field_error, form_data, make_case, make_craft
from .photo_builders import CAMERA, SCRIPT, CountingBody, jpeg_with_exif, pixel_bomb, polyglot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def saved_photo(client, upload) -> ApplicantProfile:
    case = make_case()
    client.force_login(case.learner)
    response = client.post(application_url(case), form_data(make_craft(), photo=upload))
    assert response.status_code == 302, field_error(response.content.decode(), "photo")
    return ApplicantProfile.objects.get(case=case)


def stored_bytes(profile: ApplicantProfile) -> bytes:
    with private_storage().open(profile.photo.name, "rb") as stored:
        return stored.read()


def test_poly_html_xss_is_stored_as_a_reencoded_jpeg_with_a_random_name(client):
    profile = saved_photo(client, polyglot("poly.html"))

    name = profile.photo.name
    assert name.startswith("onboarding/photos/") and name.endswith(".jpg")
    assert "poly" not in name and ".html" not in name
    data = stored_bytes(profile)
    assert SCRIPT not in data and b"<script" not in data
    assert data.startswith(b"\xff\xd8") and data.endswith(b"\xff\xd9")


def test_poly_html_xss_is_not_served_as_html(client):
    profile = saved_photo(client, polyglot("poly.html"))

    response = client.get(f"/fr/onboarding/cases/{profile.case_id}/photo/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"<script" not in b"".join(response.streaming_content)


def test_identity_photo_is_not_under_media_root_nor_reachable_under_media_url(client, settings):
    profile = saved_photo(client, polyglot("IMG_20261201_202020.jpg"))

    media_root = Path(settings.MEDIA_ROOT)
    assert not media_root.exists() or not [p for p in media_root.rglob("*") if p.is_file()]
    stored = Path(private_storage().path(profile.photo.name))
    assert media_root not in stored.parents
    with pytest.raises(ValueError):
        private_storage().url(profile.photo.name)
    for guess in (profile.photo.name, "original_images/IMG_20261201_202020.jpg"):
        assert client.get(django_settings.MEDIA_URL + guess).status_code == 404


def test_exif_gps_and_camera_are_stripped_and_the_orientation_applied(client):
    upload = polyglot("IMG_20261201_202020.jpg")
    upload.file = io.BytesIO(jpeg_with_exif(60, 40, orientation=6))
    upload.size = len(upload.file.getvalue())

    profile = saved_photo(client, upload)

    data = stored_bytes(profile)
    assert CAMERA.encode() not in data and b"Exif" not in data
    with PILImage.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825) and 0x0110 not in exif and 0x0112 not in exif
        # Orientation 6 means "turn 90°": the stored photo is upright, so taller than wide.
        assert image.size == (40, 60)


def test_pixel_bomb_is_refused_from_its_header_with_a_message(client):
    case = make_case()
    client.force_login(case.learner)

    tracemalloc.start()
    response = client.post(application_url(case), form_data(make_craft(), photo=pixel_bomb()))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert field_error(response.content.decode(), "photo") == french(
        "This photo has too many pixels for us to open. Send a smaller copy of it, or take it "
        "again with a lower resolution."
    )
    # 144 million pixels decoded would take 144 MB at the very least.
    assert peak < 30 * 1024 * 1024
    assert not ApplicantProfile.objects.get(case=case).photo


def post_counting(client, case, body: CountingBody):
    return client.generic(
        "POST",
        application_url(case),
        **{
            "CONTENT_TYPE": body.content_type,
            "CONTENT_LENGTH": str(body.size),
            "wsgi.input": body,
        },
    )


def too_big_message(size: int) -> str:
    with translation.override("fr"):
        return french(
            "This photo is too big (%(size)s). Send a photo smaller than %(limit)s.",
            size=file_size_words(size),
            limit=file_size_words(10 * 1024 * 1024),
        )


def test_fifty_megabyte_upload_is_refused_before_it_is_read(client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    case = make_case()
    client.force_login(case.learner)
    body = CountingBody(50 * 1024 * 1024, {"action": "save", "shop_name": "Atelier"})

    response = post_counting(client, case, body)

    assert response.status_code == 413
    assert body.read_bytes == 0
    assert field_error(response.content.decode(), "photo") == too_big_message(body.size)
    assert not ApplicantProfile.objects.filter(case=case).exists()


def test_upload_growing_past_the_limit_stops_being_read(client, settings):
    # The announced length is within the allowance for the other fields: the file's own size,
    # counted as it arrives, is what stops the reading.
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    case = make_case()
    client.force_login(case.learner)
    body = CountingBody(10 * 1024 * 1024 + 200 * 1024, {"action": "save"})

    response = post_counting(client, case, body)

    assert response.status_code == 413
    assert body.read_bytes < body.size
    assert "photo" in response.content.decode()
    assert not ApplicantProfile.objects.filter(case=case).exists()
