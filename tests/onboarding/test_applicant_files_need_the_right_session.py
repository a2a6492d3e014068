"""No applicant file leaves the site without the right session, whatever address is tried.

The applicant's photo and her certificate PDF are asked for, by an anonymous visitor, another
learner, a trainer and a staff member without permissions, at every URL the site answers (its
own views and Wagtail's, with the case and certificate ids filled in) and at every address a file
could have under the public media or the private folder. No answer may carry the file's bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.http import Http404
from django.test import Client, RequestFactory
from django.views.static import serve

from lms.certificates.models import Certificate
from lms.certificates.tasks import render_certificate_pdf
from lms.courses.trainers import grant_trainer, setup_trainers_group
from maalem.core.private_files import private_storage
from onboarding.models import ApplicantProfile
from tests.builders import complete, make_catalogue, make_course, make_learner
from tests.test_authorization_matrix import concrete, routes

from .marketplace_builders import make_photo
from .onboarding_builders import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]


def staff_without_permissions():
    return make_learner(is_staff=True)


def trainer():
    setup_trainers_group(make_catalogue())
    user = make_learner()
    grant_trainer(user)
    user.user_permissions.add(Permission.objects.get(codename="choose_image"))
    return user


VISITORS = {
    "anonymous": lambda: None,
    "other learner": make_learner,
    "trainer": trainer,
    "staff without permissions": staff_without_permissions,
}


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def public_media(name: str) -> bytes:
    """What the web server would give for ``name`` under MEDIA_URL."""
    try:
        return body_of(serve(RequestFactory().get("/"), name, settings.MEDIA_ROOT))
    except Http404:
        return b""


@pytest.mark.parametrize("who", VISITORS)
def test_no_address_gives_an_applicant_file_to_the_wrong_session(
    who, django_capture_on_commit_callbacks
):
    owner = make_learner(first_name="Hind", last_name="Amrani")
    with django_capture_on_commit_callbacks(execute=True):
        complete(owner, make_course(lessons=1, quiz=False))
    certificate = Certificate.objects.get(learner=owner)
    render_certificate_pdf.run(str(certificate.pk))
    certificate.refresh_from_db()
    case = make_case(owner, state="kyc_pending")
    profile = ApplicantProfile.objects.create(case=case, photo=make_photo())
    files = {
        "photo": (profile.photo.name, private_storage().open(profile.photo.name).read()),
        "certificate": (certificate.pdf.name, private_storage().open(certificate.pdf.name).read()),
    }
    # A stand-in id that breaks one of Wagtail's own views is no leak: its error page is read.
    client = Client(raise_request_exception=False)
    visitor = VISITORS[who]()
    if visitor is not None:
        client.force_login(visitor)

    values = {
        "case_id": str(case.pk),
        "certificate_id": str(certificate.pk),
        "pk": str(certificate.pk),
        "code": certificate.code,
    }
    urls = {concrete(route.path, values) for route in routes() if "(?P" not in route.path}
    for name, _data in files.values():
        base = Path(name).name
        for language in ("", "/fr", "/ar", "/en"):
            urls |= {f"{language}/media/{name}", f"{language}/media/{base}"}
        urls |= {f"/media/original_images/{base}", f"/media/images/{base}", f"/private/{name}"}
        urls |= {f"/documents/{base}", f"/{name}"}
    urls |= {f"/{language}/onboarding/cases/{case.pk}/photo/" for language in ("fr", "ar", "en")}
    urls |= {f"/{language}/certificates/{certificate.pk}/pdf/" for language in ("fr", "ar", "en")}
    leaks = []
    for url in sorted(urls):
        if "logout" in url:
            continue
        body = body_of(client.get(url))
        leaks += [f"{kind} at {url}" for kind, (_n, data) in files.items() if data in body]
    for kind, (name, data) in files.items():
        for shape in (name, Path(name).name, f"original_images/{Path(name).name}"):
            if data in public_media(shape):
                leaks.append(f"{kind} in the public media as {shape}")

    assert leaks == []
    # The owner does get them: the test looks for the right bytes.
    client.force_login(owner)
    assert files["photo"][1] in body_of(client.get(f"/fr/onboarding/cases/{case.pk}/photo/"))
    pdf = body_of(client.get(f"/fr/certificates/{certificate.pk}/pdf/"))
    assert files["certificate"][1] in pdf
