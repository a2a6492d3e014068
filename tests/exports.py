"""Asking for a background export the way staff do, and reading the file it made."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from maalem.core import export_jobs
from maalem.core.models import Export


def ask_for_export(client: Any, url: str, params: dict[str, Any], **extra: Any) -> Export:
    """Ask ``url`` for an export as ``client``'s user; returns the export it queued."""
    before = Export.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url, params, **extra)
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("maalem_exports:index")
    return Export.objects.get(pk__gt=before)


def download(client: Any, export: Export) -> bytes:
    response = client.get(reverse("maalem_exports:download", args=[export.pk]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def export_in_background(client: Any, url: str, params: dict[str, Any], **extra: Any) -> bytes:
    """The file of an export asked for as ``client``'s user, written here as a worker would
    (the task's code, without the broker), then downloaded from the Exports page."""
    export = ask_for_export(client, url, params, **extra)
    assert export_jobs.run(export.pk) == export_jobs.DONE, Export.objects.get(pk=export.pk).error
    export.refresh_from_db()
    return download(client, export)
