"""A JPEG with a web page appended (the stored XSS of the security review) leaves no byte of the
page anywhere we keep things: not in a file of the private storage or of the public media, not
in any row of the database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from maalem.core.private_files import private_storage
from onboarding.models import ApplicantProfile

from .onboarding_builders import application_url, field_error, form_data, make_case, make_craft
from .photo_builders import SCRIPT, polyglot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kyc")]

# Pieces of the page, each long enough to mean the page was kept.
PIECES = (SCRIPT, b"<script", b"alert(document.cookie)", b"<html><body>")


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def pieces_in(data: bytes) -> list[bytes]:
    return [piece for piece in PIECES if piece in data]


def database_dump() -> bytes:
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    return out.getvalue().encode()


@pytest.mark.parametrize("name", ["poly.html", "poly.jpg", "poly.svg"])
def test_no_stored_byte_sequence_contains_the_script(client, name):
    case = make_case()
    client.force_login(case.learner)

    response = client.post(application_url(case), form_data(make_craft(), photo=polyglot(name)))

    assert response.status_code == 302, field_error(response.content.decode(), "photo")
    stored = ApplicantProfile.objects.get(case=case).photo.name
    private_root = Path(private_storage().path(stored)).parents[len(Path(stored).parts) - 1]
    files = files_under(private_root) + files_under(Path(settings.MEDIA_ROOT))
    assert Path(private_storage().path(stored)) in files
    found = {str(path): pieces_in(path.read_bytes()) for path in files}
    assert {path: pieces for path, pieces in found.items() if pieces} == {}
    assert pieces_in(database_dump()) == []
    # The page itself is what the test looks for: it was in the upload.
    assert all(piece in polyglot(name).read() for piece in PIECES)
