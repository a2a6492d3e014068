"""A learner's rights over what is held about her: every app says what it holds, and erases it.

Each app registers, from its ``AppConfig.ready``, an *exporter* and an *eraser* under its name;
the kernel imports no app. An exporter takes the user and returns a :class:`Section`: the data
as a JSON-able dict and the files it holds for her, as ``(name, open file)`` pairs read from
where the app keeps them. An eraser takes the user and ``keep_certificates`` and returns the
kinds of data it erased (words such as ``"phone"``, never values). :func:`erase_user` runs every
eraser in one transaction, then replaces the account's identity by a pseudonym and keeps an
:class:`~maalem.core.models.ErasureRecord` that names no one.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

#: The prefix of the username an erased account is given; the rest is its pseudonym.
ERASED_PREFIX = "erased-"

FileOpener = Callable[[], AbstractContextManager[IO[bytes]]]


@dataclass
class Section:
    """What one app holds about a learner: data for a JSON file, and files to copy."""

    data: dict[str, Any] = field(default_factory=dict)
    files: list[tuple[str, FileOpener]] = field(default_factory=list)


Exporter = Callable[[Any], Section]
Eraser = Callable[..., list[str]]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register(name: str, *, exporter: Exporter | None = None, eraser: Eraser | None = None) -> None:
    """Add (or replace) what an app exports and erases; called from its ``AppConfig.ready``."""
    if exporter is not None:
        _exporters[name] = exporter
    if eraser is not None:
        _erasers[name] = eraser


def is_erased(user: Any) -> bool:
    return str(getattr(user, "username", "")).startswith(ERASED_PREFIX)


def export(user: Any) -> dict[str, Section]:
    """Every app's section about ``user``, by app name."""
    return {name: exporter(user) for name, exporter in sorted(_exporters.items())}


def write_zip(user: Any) -> IO[bytes]:
    """A zip of ``user``'s data in a temporary file, rewound for reading: ``<app>.json`` per app
    and ``files/<app>/<name>`` per file. Files are copied in chunks, so memory stays bounded
    whatever their size; the temporary file disappears when closed."""
    out = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the response, which closes it)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, section in export(user).items():
            text = json.dumps(section.data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            archive.writestr(f"{name}.json", text)
            for file_name, opener in section.files:
                try:
                    with opener() as source, archive.open(f"files/{name}/{file_name}", "w") as dest:
                        shutil.copyfileobj(source, dest, 64 * 1024)
                except FileNotFoundError:
                    logger.warning("user %s: a %s file listed is missing", user.pk, name)
    out.seek(0)
    return out


def new_pseudonym() -> str:
    return secrets.token_hex(8)


def erase_user(user_id: int, *, keep_certificates: bool = True) -> str | None:
    """Erase the learner ``user_id`` everywhere, in one transaction; returns her pseudonym, or
    None when the account was already erased (a retry or a second click changes nothing)."""
    from .models import ErasureRecord

    user_model = get_user_model()
    with transaction.atomic():
        user: Any = user_model._default_manager.select_for_update().get(pk=user_id)
        if is_erased(user):
            return None
        pseudonym = new_pseudonym()
        user.erasure_pseudonym = pseudonym  # erasers that print a name read it
        kinds: list[str] = []
        for name, eraser in sorted(_erasers.items()):
            kinds += [
                f"{name}.{kind}" for kind in eraser(user, keep_certificates=keep_certificates)
            ]
        _pseudonymise(user, pseudonym)
        ErasureRecord.objects.create(
            pseudonym=pseudonym, kinds=sorted(kinds), certificates_kept=keep_certificates
        )
    logger.info("account erased at the learner's request, pseudonym %s", pseudonym)
    return pseudonym


def _pseudonymise(user: Any, pseudonym: str) -> None:
    """Replace who the account is by the pseudonym; rows that point at it stay, naming no one."""
    user.username = f"{ERASED_PREFIX}{pseudonym}"
    for name in ("first_name", "last_name", "email"):
        if hasattr(user, name):
            setattr(user, name, "")
    user.is_active = False
    user.set_unusable_password()
    user.last_login = None
    if hasattr(user, "date_joined"):
        user.date_joined = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    user.save()


def iter_files(sections: dict[str, Section]) -> Iterator[str]:
    """The zip's file names, for tests and the page's summary."""
    for name, section in sections.items():
        for file_name, _opener in section.files:
            yield f"files/{name}/{file_name}"
