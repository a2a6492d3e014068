"""With AWS_STORAGE_BUCKET_NAME set, public media and private files go to two S3-compatible
buckets: private files only ever by presigned links, which the site's pages may load.

The full run, two web processes and a worker on a real S3-compatible server, is
tests/multinode/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage

from config.storage import storage_origins, storage_settings
from maalem.core.checks import private_files

from .test_production_settings import configured, manage

BUCKETS = {
    "AWS_STORAGE_BUCKET_NAME": "maalem-media",
    "AWS_PRIVATE_BUCKET_NAME": "maalem-private",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
    "AWS_S3_ADDRESSING_STYLE": "path",
    "AWS_ACCESS_KEY_ID": "key-for-this-test",
    "AWS_SECRET_ACCESS_KEY": "secret-for-this-test",
}
ALL_VARIABLES = [*BUCKETS, "AWS_S3_CUSTOM_DOMAIN", "AWS_S3_REGION_NAME", "PRIVATE_FILES_URL_EXPIRE"]


@pytest.fixture
def environment(monkeypatch: Any) -> Any:
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_to(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_to


def storage(options: dict[str, Any]) -> S3Storage:
    assert options["BACKEND"] == "storages.backends.s3.S3Storage"
    return S3Storage(**options["OPTIONS"])


def test_without_a_bucket_files_stay_in_two_folders_under_var(environment, tmp_path):
    stores = storage_settings(tmp_path, development=True)["STORAGES"]

    assert stores["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert stores["private"]["OPTIONS"]["location"] == str(tmp_path / "private")
    assert storage_origins() == []


def test_a_media_bucket_without_a_private_bucket_does_not_start(environment, tmp_path):
    environment(**{**BUCKETS, "AWS_PRIVATE_BUCKET_NAME": ""})

    with pytest.raises(ImproperlyConfigured, match="set AWS_PRIVATE_BUCKET_NAME too"):
        storage_settings(tmp_path, development=False)


def test_private_files_are_presigned_for_a_short_while_and_media_is_plain(environment, tmp_path):
    environment(**BUCKETS, PRIVATE_FILES_URL_EXPIRE="30")
    configured_files = storage_settings(tmp_path, development=False)
    media = storage(configured_files["STORAGES"]["default"])
    private = storage(configured_files["STORAGES"]["private"])

    assert configured_files["MAALEM_PRIVATE_FILES_URL_EXPIRE"] == 30
    assert media.url("images/a.jpg") == "https://s3.example.net/maalem-media/images/a.jpg"
    signed = private.url("certificates/b.pdf")
    assert signed.startswith("https://s3.example.net/maalem-private/certificates/b.pdf?")
    assert "X-Amz-Expires=30" in signed and "X-Amz-Signature=" in signed
    # Two files saved under one name keep both, as in a folder.
    assert not media.file_overwrite and not private.file_overwrite
    assert private.default_acl is None


def test_the_pages_may_load_files_from_the_buckets_and_from_nowhere_else(environment):
    environment(**BUCKETS)
    assert storage_origins() == ["https://s3.example.net"]

    environment(AWS_S3_ADDRESSING_STYLE="virtual", AWS_S3_CUSTOM_DOMAIN="media.maalem.example")
    assert storage_origins() == [
        "https://media.maalem.example",
        "https://maalem-media.s3.example.net",
        "https://maalem-private.s3.example.net",
    ]

    environment(AWS_S3_ENDPOINT_URL="", AWS_S3_CUSTOM_DOMAIN="", AWS_S3_REGION_NAME="eu-west-3")
    assert "https://maalem-private.s3.eu-west-3.amazonaws.com" in storage_origins()


@pytest.mark.parametrize(
    "options",
    [{"querystring_auth": False}, {"custom_domain": "private.maalem.example"}],
    ids=["no querystring auth", "a custom domain"],
)
def test_a_private_bucket_that_makes_plain_urls_fails_the_checks(settings, options):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "maalem-private", **options},
        },
    }

    assert "maalem.E023" in [message.id for message in private_files(None)]


def test_a_production_machine_on_buckets_passes_the_checks_and_allows_them_in_its_csp(
    tmp_path: Path,
):
    script = (
        "import json; from django.conf import settings; from django.core.management import "
        "call_command; call_command('check'); "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = manage("shell", "-c", script, tmp_path=tmp_path, **configured(**BUCKETS))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        "'self'",
        "data:",
        "https://s3.example.net",
    ]
    assert not (tmp_path / "private").exists() and not (tmp_path / "media").exists()
