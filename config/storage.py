"""Where the host site keeps files, read from the environment.

With no environment, two folders under ``var/``: ``media/`` (public uploads, served under
``MEDIA_URL``) and ``private/`` (identity photos, certificate PDFs), which only views that check
who asks hand over (see ``maalem.core.private_files``). With ``AWS_STORAGE_BUCKET_NAME`` set, both
go to S3-compatible object storage through django-storages, so that no web process or worker
keeps a file on its own disk: public media in that bucket, private files in
``AWS_PRIVATE_BUCKET_NAME``, a bucket that is not public, handed over by presigned URLs that live
``PRIVATE_FILES_URL_EXPIRE`` seconds. docs/storage.md says how to set them up; README.md lists
every variable.

``config.settings`` calls :func:`storage_settings` with its ``var/`` folder;
``config.security`` allows :func:`storage_origins` in the Content-Security-Policy, since pages
show pictures and sounds from the buckets (and a private photo redirects to one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def storage_settings(var_dir: Path, development: bool) -> dict[str, Any]:
    """The settings for files: ``MEDIA_*``, ``PRIVATE_ROOT``, ``STORAGES`` and how private files
    are served."""
    media_root = Path(env.str("MEDIA_ROOT", default=str(var_dir / "media")))
    private_root = Path(env.str("PRIVATE_ROOT", default=str(var_dir / "private")))
    url_expire = env.int("PRIVATE_FILES_URL_EXPIRE", default=60)
    bucket = env.str("AWS_STORAGE_BUCKET_NAME", default="")
    if bucket:
        default, private = _object_storage(bucket, url_expire)
    else:
        default = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        private = {
            "BACKEND": "maalem.core.private_files.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(private_root), "file_permissions_mode": 0o640},
        }
    return {
        "MEDIA_URL": "/media/",
        "MEDIA_ROOT": media_root,
        "PRIVATE_ROOT": private_root,
        "STORAGES": {
            "default": default,
            "private": private,
            "staticfiles": {
                "BACKEND": (
                    "django.contrib.staticfiles.storage.StaticFilesStorage"
                    if development
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
                )
            },
        },
        # How an allowed private file reaches the browser from a folder: "django" streams it;
        # behind nginx, "x-accel-redirect" with an internal location on
        # PRIVATE_FILES_INTERNAL_PREFIX whose alias is PRIVATE_ROOT; behind Apache or lighttpd,
        # "x-sendfile". A bucket always answers with a presigned URL.
        "MAALEM_PRIVATE_FILES_SERVE": env.str("PRIVATE_FILES_SERVE", default="django"),
        "MAALEM_PRIVATE_FILES_INTERNAL_PREFIX": env.str(
            "PRIVATE_FILES_INTERNAL_PREFIX", default="/protected/"
        ),
        "MAALEM_PRIVATE_FILES_URL_EXPIRE": url_expire,
    }


def _object_storage(bucket: str, url_expire: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The "default" and "private" storages on S3-compatible buckets."""
    private_bucket = env.str("AWS_PRIVATE_BUCKET_NAME", default="")
    if not private_bucket or private_bucket == bucket:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set, so set AWS_PRIVATE_BUCKET_NAME too: a second bucket, "
            "not public, for identity photos and certificate PDFs."
        )
    # Credentials: these variables, or else boto3's own chain (an instance role, ~/.aws).
    connection = {
        "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("AWS_S3_REGION_NAME", default=None),
        # "path" for most S3-compatible servers reached by address (MinIO, a test server).
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
        "signature_version": "s3v4",
        # Two uploads with one name keep both, as in a folder (Wagtail renditions rely on it).
        "file_overwrite": False,
    }
    default = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **connection,
            "bucket_name": bucket,
            # The bucket (or the CDN before it) is readable by anyone: plain, lasting URLs.
            "querystring_auth": False,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": env.str("AWS_DEFAULT_ACL", default=None),
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    private = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **connection,
            "bucket_name": private_bucket,
            # No ACL on the objects: the bucket's own policy, which grants nobody reading.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": url_expire,
            "custom_domain": None,
        },
    }
    return default, private


def storage_origins() -> list[str]:
    """The origins the browser fetches stored files from: none with folders; with buckets, the
    media bucket's (or its custom domain's) and the private bucket's."""
    buckets = [env.str("AWS_STORAGE_BUCKET_NAME", default="")]
    if not buckets[0]:
        return []
    buckets.append(env.str("AWS_PRIVATE_BUCKET_NAME", default=""))
    endpoint = env.str("AWS_S3_ENDPOINT_URL", default="")
    path_style = env.str("AWS_S3_ADDRESSING_STYLE", default="") == "path"
    region = env.str("AWS_S3_REGION_NAME", default="")
    origins = []
    if domain := env.str("AWS_S3_CUSTOM_DOMAIN", default=""):
        origins.append(f"https://{domain}")
    for bucket in filter(None, buckets):
        if endpoint:
            parts = urlsplit(endpoint)
            host = parts.netloc if path_style else f"{bucket}.{parts.netloc}"
            origins.append(f"{parts.scheme}://{host}")
        else:
            # Amazon S3 itself: the global name, and the regional one when a region is set.
            origins.append(f"https://{bucket}.s3.amazonaws.com")
            if region:
                origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return list(dict.fromkeys(origins))
