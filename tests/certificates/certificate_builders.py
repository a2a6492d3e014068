"""Readers of what a certificate gives its holder: the PDF's first page and the signed credential."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet
from PIL import Image

from lms.certificates.models import Certificate


def first_page_png(pdf: bytes, tmp_path: Path) -> Image.Image:
    source = tmp_path / "certificate.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    return Image.open(next(tmp_path.glob("p*.png")))


def published_keys(client: Client) -> KeySet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return KeySet.import_key_set(response.json())


def certificate_credential(client: Client, certificate: Certificate) -> dict[str, Any]:
    client.force_login(certificate.learner)
    response = client.get(f"/fr/certificates/{certificate.pk}/credential/")
    assert response.status_code == 200
    token = jwt.decode(response.content.decode(), published_keys(client), algorithms=["EdDSA"])
    assert token.header["alg"] == "EdDSA"
    return token.claims
