"""What phones use to keep working offline: the sync API, the service worker and its offline page.

The sync API and the service worker are language-free, at the site root: a phone's queue and
its cache serve every language. ``urlpatterns`` here is included outside ``i18n_patterns``;
the offline page, which the learner reads, is a learner URL in ``urls.py``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_GET, require_POST

from . import sync

app_name = "lms_api"

SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "lms" / "sw.js"


@require_POST
def sync_events(request: HttpRequest) -> JsonResponse:
    """Record a batch of events made on the learner's phone; see docs/sync-api.openapi.yaml."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to send your progress.")}, status=403)
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "The body is not JSON."}, status=400)
    try:
        events = sync.parse_batch(data)
    except sync.MalformedBatch as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"results": sync.sync(request.user, events)})


def service_worker_etag(request: HttpRequest) -> str:
    return hashlib.sha256(service_worker_script().encode()).hexdigest()[:16]


@require_GET
@cache_control(no_cache=True)
@etag(service_worker_etag)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, served from the root so that it controls every language.

    Browsers check it for updates on most visits; the ETag makes that check a tiny 304.
    """
    return HttpResponse(service_worker_script(), content_type="text/javascript")


def service_worker_script() -> str:
    # The URLs the worker needs, resolved here rather than written into the script: offline
    # pages are translated URLs, and static files have hashed names in production.
    offline_pages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            offline_pages[code] = reverse("lms:offline")
    config = {
        "offline": offline_pages,
        "precache": [
            *offline_pages.values(),
            static("lms/lms.css"),
            static("lms/offline.js"),
            static("lms/icons.svg"),
        ],
        "files": [settings.STATIC_URL, settings.MEDIA_URL],
        # Trainers' pages change as they work: never serve them from a phone's copy.
        "skip": [reverse("wagtailadmin_home")],
    }
    return f"self.MAALEM = {json.dumps(config)};\n{SERVICE_WORKER.read_text()}"


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page the phone has not kept."""
    # Kept on the phone for whoever signs in later: it must not send anyone's queue.
    return render(request, "courses/offline.html", {"anonymous_page": True})


urlpatterns = [
    path("api/v1/events/", sync_events, name="sync_events"),
    path("sw.js", service_worker, name="service_worker"),
]
