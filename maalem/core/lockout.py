"""The answer to a password sign-in that django-axes has locked out (``AXES_LOCKOUT_CALLABLE``).

A page in the visitor's language that says how long to wait, with ``Retry-After``; it never
repeats the username that was typed, which may be a phone number.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cool_off_seconds() -> int:
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cool_off, timedelta):
        return max(1, int(cool_off.total_seconds()))
    if isinstance(cool_off, int | float):
        return max(1, int(cool_off * 3600))  # django-axes reads a number as hours
    return 0


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    seconds = cool_off_seconds()
    context = {"minutes": math.ceil(seconds / 60) if seconds else 0}
    response = render(request, "maalem_core/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
