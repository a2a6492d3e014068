"""Who may see an applicant's photo: the learner herself and operators allowed to view cases,
nobody else, each request written in the access log; and how the file is handed over."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.auth.models import Permission

from maalem.core.models import PrivateFileAccess
from maalem.core.private_files import PrivateFileSystemStorage
from onboarding import photos
from onboarding.models import ApplicantProfile
from tests.builders import make_learner

from .onboarding_builders import (
    VALID_CIN,
    application_url,
    form_data,
    make_case,
    make_craft,
    operator,
)
from .photo_builders import polyglot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


@pytest.fixture
def draft(client):
    """A case whose application is still a draft, with a photo."""
    case = make_case()
    client.force_login(case.learner)
    client.post(application_url(case), form_data(make_craft(), action="save", photo=polyglot()))
    client.logout()
    return ApplicantProfile.objects.select_related("case__learner").get(case=case)


def trainer():
    user = make_learner(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="choose_image"),
    )
    return user


VISITORS = {
    "owner": (lambda profile: profile.case.learner, 200),
    "other learner": (lambda profile: make_learner(), 404),
    "anonymous": (lambda profile: None, 302),
    "trainer": (lambda profile: trainer(), 404),
    "staff without the permission": (lambda profile: make_learner(is_staff=True), 404),
    "operator allowed to view cases": (lambda profile: operator("view_onboardingcase"), 200),
}


@pytest.mark.parametrize("who", VISITORS)
def test_draft_applicant_photo_is_served_only_to_the_learner_and_allowed_operators(
    client, draft, who, caplog
):
    make_user, expected = VISITORS[who]
    user = make_user(draft)
    if user is not None:
        client.force_login(user)
    url = photos.photo_url(draft.case)

    with caplog.at_level(logging.INFO):
        response = client.get(url)

    assert response.status_code == expected
    if expected == 302:
        assert "/sign-in/" in response["Location"]
    row = PrivateFileAccess.objects.get()
    assert (row.kind, row.object_ref, row.granted) == (
        "onboarding.photo",
        str(draft.case_id),
        expected == 200,
    )
    assert row.user_id == (user.pk if user is not None else None)
    assert row.name == (draft.photo.name if expected == 200 else "")
    logged = caplog.text
    assert "private file onboarding.photo" in logged
    assert VALID_CIN not in logged and "612345678" not in logged
    assert draft.case.learner.get_username() not in logged


def test_served_photo_says_what_it_is_and_is_never_cached(client, draft):
    client.force_login(draft.case.learner)

    response = client.get(photos.photo_url(draft.case))

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith('inline; filename="case-')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_x_accel_redirect_mode_hands_the_file_to_nginx(client, draft, settings):
    settings.MAALEM_PRIVATE_FILES_SERVE = "x-accel-redirect"
    settings.MAALEM_PRIVATE_FILES_INTERNAL_PREFIX = "/internal-private/"
    client.force_login(draft.case.learner)

    response = client.get(photos.photo_url(draft.case))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/internal-private/{draft.photo.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert PrivateFileAccess.objects.filter(granted=True).count() == 1


def test_x_sendfile_mode_names_the_file_on_disk(client, draft, settings):
    settings.MAALEM_PRIVATE_FILES_SERVE = "x-sendfile"
    client.force_login(draft.case.learner)

    response = client.get(photos.photo_url(draft.case))

    assert response["X-Sendfile"] == PrivateFileSystemStorage(
        location=settings.STORAGES["private"]["OPTIONS"]["location"]
    ).path(draft.photo.name)
    assert response.content == b""


class SignedStorage(PrivateFileSystemStorage):
    """Stands for an S3-compatible storage: no local path, presigned URLs."""

    def path(self, name: str) -> str:
        raise NotImplementedError

    def url(
        self, name: str | None, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        self.asked = (name, parameters, expire)
        return f"https://bucket.example/{name}?X-Amz-Expires={expire}"


def test_object_storage_answers_with_a_short_lived_presigned_url(client, draft, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": f"{__name__}.SignedStorage",
            "OPTIONS": settings.STORAGES["private"]["OPTIONS"],
        },
    }
    client.force_login(draft.case.learner)

    response = client.get(photos.photo_url(draft.case))

    assert response.status_code == 302
    assert response["Location"] == f"https://bucket.example/{draft.photo.name}?X-Amz-Expires=60"
    assert response["Cache-Control"] == "private, no-store"


def test_a_case_without_a_photo_has_no_photo_url(client):
    case = make_case()

    assert photos.photo_url(case) is None
    client.force_login(case.learner)
    response = client.get(f"/fr/onboarding/cases/{case.pk}/photo/", follow=True)
    assert response.status_code == 404
