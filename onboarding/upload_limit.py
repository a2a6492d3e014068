"""Refusing a photo that is too big before it is received.

Django reads a whole request body before a form sees it: a 50 MB upload would be received, and
written to a temporary file, only to be refused. :func:`limit_photo_upload` wraps a view so
that a request announcing a larger body is not read at all, and an upload that grows past the
limit stops being read. The view asks :func:`refused_upload` first and, if it gets an error,
shows its form again with that message and changes nothing.

Behind a web server, also set its own limit a little above the photo's (nginx:
``client_max_body_size 11m;``), so the body never reaches Django.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .photos import photo_max_size, too_big

#: Room for the form's other fields, beside the photo, in the request's announced length.
FORM_ALLOWANCE = 256 * 1024

_REFUSED = "_maalem_refused_upload"


def _refuse(request: HttpRequest, size: int) -> None:
    setattr(request, _REFUSED, too_big(size))


def refused_upload(request: HttpRequest) -> ValidationError | None:
    """The message for an upload refused unread, or ``None`` when the request was read.

    Asking reads the body (up to the limit) if nothing has yet."""
    if request.method == "POST":
        request.FILES  # noqa: B018  (reading the body is what applies the limit)
    return getattr(request, _REFUSED, None)


def announced_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class PhotoUploadLimit(FileUploadHandler):
    """Stops reading the request as soon as one file in it is larger than the photo limit."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        received = start + len(raw_data)
        if received > photo_max_size():
            if self.request is not None:
                _refuse(self.request, received)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_photo_upload(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view that receives a photo: too big, the body is not read (see the module).

    The CSRF check moves inside the wrapper, after the limit is in place: it reads the body. A
    request refused unread has no token to check; the view must then only show its form.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST":
            length = announced_length(request)
            if length > photo_max_size() + FORM_ALLOWANCE:
                _refuse(request, length)
                # Empty data in place of the body, which is never read.
                request.__dict__["_post"] = QueryDict()
                request.__dict__["_files"] = MultiValueDict()
                return view(request, *args, **kwargs)
            request.upload_handlers.insert(0, PhotoUploadLimit(request))
        return protected(request, *args, **kwargs)

    return wrapper
