"""Private files: identity photos, certificates, anything that must never be a public URL.

They live in their own storage, the ``STORAGES`` alias named by ``MAALEM_PRIVATE_STORAGE``
(``"private"`` by default): a folder outside ``MEDIA_ROOT``, or a bucket that is not public.
Their names are random (:func:`random_name`), never the client's file name. They are served
only by a view that has checked who is asking; the view ends with :func:`serve_private_file`,
which records the access and hands the file over the way ``MAALEM_PRIVATE_FILES_SERVE`` says:

- ``"django"``: Django streams the file (development, small sites);
- ``"x-accel-redirect"``: nginx sends it from an ``internal`` location mapped on
  ``MAALEM_PRIVATE_FILES_INTERNAL_PREFIX``;
- ``"x-sendfile"``: Apache (mod_xsendfile) or lighttpd sends it from its path on disk.

A storage with no local path (S3-compatible, django-storages) is answered with a redirect to a
presigned URL that lives ``MAALEM_PRIVATE_FILES_URL_EXPIRE`` seconds.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

from django.apps import apps
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty

from .conf import app_settings

logger = logging.getLogger(__name__)

SERVE_MODES = ("django", "x-accel-redirect", "x-sendfile")


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder of private files: it has no URL, so a template cannot leak one."""

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no public URL: serve them with a view")


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages[app_settings.PRIVATE_STORAGE]


_private_storage = _PrivateStorage()


def private_storage() -> Storage:
    """The private storage, looked up when first used (and again after a settings change).

    Give it to a ``FileField`` as ``storage=private_storage``: the callable, not its result, is
    what the field keeps, so migrations name it and tests can point the alias elsewhere.
    """
    return cast(Storage, _private_storage)


@receiver(setting_changed)
def _forget_private_storage(*, setting: str, **kwargs: Any) -> None:
    if setting in ("STORAGES", "MAALEM_PRIVATE_STORAGE"):
        _private_storage.__dict__["_wrapped"] = empty


def random_name(folder: str, extension: str) -> str:
    """A new stored name under ``folder``: 128 random bits, nothing of the client's name."""
    return f"{folder.strip('/')}/{secrets.token_hex(16)}.{extension.lstrip('.')}"


@dataclass(frozen=True)
class PrivateFile:
    """A private file a view has decided to hand over.

    ``kind`` and ``object_ref`` say what it is for the access log (e.g. ``"onboarding.photo"``
    and a case id): never a person's name, number or anything they typed.
    """

    name: str
    kind: str
    object_ref: str
    content_type: str
    download_name: str
    attachment: bool = False


def content_disposition(file: PrivateFile) -> str:
    disposition = "attachment" if file.attachment else "inline"
    ascii_name = file.download_name.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file.download_name)}"


def _local_path(storage: Storage, name: str) -> str | None:
    try:
        return storage.path(name)
    except NotImplementedError:
        return None


def serve_private_file(
    request: HttpRequest, file: PrivateFile, storage: Storage | None = None
) -> HttpResponseBase:
    """Hand ``file`` over to the user who asked, whose right to it the caller has checked;
    record the access first."""
    storage = storage if storage is not None else private_storage()
    record_access(request, file, granted=True)
    path = _local_path(storage, file.name)
    if path is None:
        # S3-compatible storage: a short-lived signed link, with the headers it must answer.
        signed_url: Any = storage.url  # S3Storage.url(name, parameters, expire)
        url = signed_url(
            file.name,
            parameters={
                "ResponseContentType": file.content_type,
                "ResponseContentDisposition": content_disposition(file),
                "ResponseCacheControl": "private, no-store",
            },
            expire=app_settings.PRIVATE_FILES_URL_EXPIRE,
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
    elif app_settings.PRIVATE_FILES_SERVE == "x-accel-redirect":
        response = HttpResponse(content_type=file.content_type)
        response["X-Accel-Redirect"] = app_settings.PRIVATE_FILES_INTERNAL_PREFIX + quote(file.name)
    elif app_settings.PRIVATE_FILES_SERVE == "x-sendfile":
        response = HttpResponse(content_type=file.content_type)
        response["X-Sendfile"] = path
    else:
        response = FileResponse(storage.open(file.name, "rb"), content_type=file.content_type)
    response["Content-Type"] = file.content_type
    response["Content-Disposition"] = content_disposition(file)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened directly, a file is a document of its own: no script, no plugin, no frame.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def record_access(
    request: HttpRequest,
    file: PrivateFile | None,
    *,
    granted: bool,
    kind: str = "",
    object_ref: str = "",
) -> None:
    """Write the audit row of one request for a private file, granted or refused."""
    # By name: the models name this module's storage, so importing them here would be a cycle.
    access_model = apps.get_model("maalem_core", "PrivateFileAccess")
    user = request.user if request.user.is_authenticated else None
    access_model._default_manager.create(
        user=user,
        kind=file.kind if file else kind,
        object_ref=file.object_ref if file else object_ref,
        name=file.name if file else "",
        granted=granted,
    )
    logger.info(
        "private file %s %s: %s to user %s",
        file.kind if file else kind,
        file.object_ref if file else object_ref,
        "served" if granted else "refused",
        user.pk if user is not None else "anonymous",
    )
