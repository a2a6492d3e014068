import base64
import gzip
import json

import pytest
from joserfc import jwt
from joserfc.errors import JoseError

from lms.certificates.issuing import revoke
from lms.certificates.keys import new_signing_key
from lms.certificates.models import Certificate
from tests.builders import complete, make_course, make_learner
from tests.certificates.certificate_builders import certificate_credential, published_keys

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def issued(capture, learner=None) -> Certificate:
    learner = learner or make_learner(first_name="Amina", last_name="Idrissi")
    with capture(execute=True):
        complete(learner, make_course(title="Tisser un tapis", lessons=1, quiz=False))
    return Certificate.objects.get(learner=learner)


def status_bit(client, certificate) -> int:
    entry = certificate_credential(client, certificate)["vc"]["credentialStatus"]
    url = entry["statusListCredential"].split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + url)
    assert response.status_code == 200
    token = jwt.decode(response.content.decode(), published_keys(client), algorithms=["EdDSA"])
    encoded = token.claims["vc"]["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase base64url
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 >= 131_072
    index = int(entry["statusListIndex"])
    return (bits[index // 8] >> (7 - index % 8)) & 1


@pytest.mark.django_db
def test_the_credential_is_an_open_badge_that_verifies_against_the_published_keys(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)

    claims = certificate_credential(client, certificate)

    badge = claims["vc"]
    assert "OpenBadgeCredential" in badge["type"]
    assert badge["credentialSubject"]["achievement"]["name"] == "Tisser un tapis"
    assert badge["credentialSubject"]["identifier"][0]["identityHash"] == "Amina Idrissi"
    assert claims["iss"] == badge["issuer"]["id"]
    assert badge["credentialStatus"]["type"] == "BitstringStatusListEntry"


@pytest.mark.django_db
def test_a_credential_signed_with_another_key_does_not_verify(
    client, settings, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    client.force_login(certificate.learner)
    token = client.get(f"/fr/certificates/{certificate.pk}/credential/").content.decode()
    settings.LMS_CERTIFICATES_SIGNING_KEYS = [new_signing_key()]

    with pytest.raises(JoseError):
        jwt.decode(token, published_keys(client), algorithms=["EdDSA"])


@pytest.mark.django_db
def test_after_a_key_rotation_old_credentials_still_verify(
    client, settings, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    client.force_login(certificate.learner)
    old_token = client.get(f"/fr/certificates/{certificate.pk}/credential/").content.decode()
    old_key = settings.LMS_CERTIFICATES_SIGNING_KEYS[0]
    settings.LMS_CERTIFICATES_SIGNING_KEYS = [new_signing_key(), old_key]

    keys = published_keys(client)
    assert len(keys.keys) == 2
    assert all("d" not in key for key in keys.as_dict()["keys"])  # no private part published
    assert jwt.decode(old_token, keys, algorithms=["EdDSA"]).claims["vc"]
    new_header = jwt.decode(
        client.get(f"/fr/certificates/{certificate.pk}/credential/").content.decode(),
        keys,
        algorithms=["EdDSA"],
    ).header
    assert new_header["kid"] == json.loads(settings.LMS_CERTIFICATES_SIGNING_KEYS[0])["kid"]


@pytest.mark.django_db
def test_revocation_sets_the_certificates_bit_in_the_status_list(
    client, django_capture_on_commit_callbacks
):
    certificate = issued(django_capture_on_commit_callbacks)
    other = issued(django_capture_on_commit_callbacks, make_learner())
    assert status_bit(client, certificate) == 0

    revoke(certificate, by=None, reason="Fraud at the exam")

    assert status_bit(client, certificate) == 1
    assert status_bit(client, other) == 0
