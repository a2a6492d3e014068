"""Portable credentials: an Open Badges 3.0 credential per certificate, as a VC-JWT signed with
EdDSA (Ed25519), the issuer's public keys as a JWKS, and revocation as a W3C Bitstring Status List.

Anyone can check a credential with a standard JOSE library and the keys published at
``/.well-known/jwks.json``; nothing here needs our code on the verifier's side.
"""

from __future__ import annotations

import base64
import gzip
import json
import warnings
from datetime import UTC
from typing import Any

from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import OKPKey

from . import status_lists
from .conf import app_settings
from .models import Certificate

ALGORITHM = "EdDSA"
OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def load_key(text: str) -> OKPKey:
    data = json.loads(text)
    if data.get("kty") != "OKP" or data.get("crv") != "Ed25519" or "d" not in data:
        raise ValueError("expected a private OKP key on the Ed25519 curve")
    if not data.get("kid"):
        data["kid"] = OKPKey.import_key(data).thumbprint()
    return OKPKey.import_key(data)


def signing_key() -> OKPKey:
    keys = app_settings.SIGNING_KEYS
    if not keys:
        raise ValueError("LMS_CERTIFICATES_SIGNING_KEYS is empty (see check certificates.E001).")
    return load_key(keys[0])


def jwks() -> dict[str, Any]:
    """The public halves of every configured key, newest first, so credentials signed before a
    rotation still verify."""
    published = []
    for text in app_settings.SIGNING_KEYS:
        key = load_key(text)
        public: dict[str, Any] = dict(key.as_dict(private=False))
        public.update({"kid": key.kid, "use": "sig", "alg": ALGORITHM})
        published.append(public)
    return {"keys": published}


def sign(claims: dict[str, Any], typ: str = "JWT") -> str:
    key = signing_key()
    with warnings.catch_warnings():
        # joserfc flags "EdDSA" in favour of RFC 9864's "Ed25519"; Open Badges 3.0 and today's
        # verifiers still expect "EdDSA".
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        return jwt.encode(
            {"alg": ALGORITHM, "kid": key.kid, "typ": typ}, claims, key, algorithms=[ALGORITHM]
        )


def absolute(path: str) -> str:
    return app_settings.BASE_URL + path


def status_list_url(number: int = 1) -> str:
    return absolute(reverse("certificates_status_list", kwargs={"number": number}))


def _timestamp(moment: Any) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_badge(certificate: Certificate) -> dict[str, Any]:
    """The Open Badges 3.0 ``OpenBadgeCredential`` for a certificate."""
    status_url = status_list_url(certificate.status_list)
    issuer_name = certificate.issuer_name
    course = certificate.course_title("fr")
    return {
        "@context": OB_CONTEXT,
        "id": f"urn:uuid:{certificate.pk}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": course,
        "issuer": {"id": app_settings.ISSUER_ID, "type": ["Profile"], "name": issuer_name},
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            # The name is printed on the certificate and shown on the public page already;
            # nothing else about the learner goes into the credential.
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.learner_name,
                }
            ],
            "achievement": {
                "id": f"urn:uuid:{certificate.course_key}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": course,
                "description": course,
                "criteria": {"narrative": "Completed every lesson and passed every quiz."},
                "inLanguage": "fr",
            },
        },
        "evidence": [
            {
                "id": certificate.verification_url(),
                "type": ["Evidence"],
                "name": "Verification page",
            }
        ],
        "credentialStatus": {
            "id": f"{status_url}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_url,
        },
    }


def credential_jwt(certificate: Certificate) -> str:
    """The certificate's credential as a VC-JWT (Open Badges 3.0, section 8.2)."""
    credential = open_badge(certificate)
    return sign(
        {
            "iss": app_settings.ISSUER_ID,
            "jti": credential["id"],
            "sub": f"urn:uuid:{certificate.pk}",
            "nbf": int(certificate.issued_at.timestamp()),
            "vc": credential,
        }
    )


def encode_bitstring(revoked: list[int], size: int) -> str:
    """W3C Bitstring Status List: bit ``i`` (the most significant bit of byte 0 is index 0) is
    set when entry ``i`` is revoked, then gzip and multibase base64url without padding."""
    bits = bytearray(size // 8 + (1 if size % 8 else 0))
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0 keeps the encoding stable for an unchanged list, so caches can compare it.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


class UnknownStatusList(LookupError):
    pass


def status_list_credential(number: int = 1) -> dict[str, Any]:
    """The status list ``number`` as a credential; :class:`UnknownStatusList` if it was never
    opened. Every list ever opened is published, each with the size it was opened with."""
    status_list = status_lists.published(number)
    if status_list is None:
        raise UnknownStatusList(number)
    url = status_list_url(number)
    revoked = list(
        Certificate.objects.filter(status_list=number, revoked_at__isnull=False).values_list(
            "status_index", flat=True
        )
    )
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": app_settings.ISSUER_ID,
        "validFrom": _timestamp(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked, status_list.size),
        },
    }


def status_list_jwt(number: int = 1) -> str:
    credential = status_list_credential(number)
    return sign(
        {
            "iss": app_settings.ISSUER_ID,
            "jti": credential["id"],
            "sub": credential["credentialSubject"]["id"],
            "iat": int(timezone.now().timestamp()),
            "vc": credential,
        }
    )
