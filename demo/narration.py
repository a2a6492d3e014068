"""Spoken narration for the demo lessons, made on this machine with espeak-ng and opusenc.

A trainer records real voices; the demo needs some sound to show the Listen control with. The
speech is synthetic and plain, compressed to Ogg Opus at 16 kbit/s (about 2 KB a second), the
weight a narration should have on prepaid data. Without the two programs (Debian's espeak-ng and
opus-tools), the demo has no narration and says so.

Speaking takes seconds, so :meth:`Voices.prepare` does it before the demo's transaction opens;
inside it, :meth:`Voices.narration` only stores what was spoken.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.utils.html import strip_tags
from wagtail.models import Collection

# espeak-ng's voice for each interface language.
VOICES = {"ar": "ar", "fr": "fr-fr", "en": "en-gb"}
PROGRAMS = ("espeak-ng", "opusenc")


def can_speak() -> bool:
    return all(shutil.which(program) for program in PROGRAMS)


def speak(text: str, language: str) -> bytes:
    """``text`` read aloud in ``language``, as Ogg Opus bytes."""
    speech = subprocess.run(
        ["espeak-ng", "-v", VOICES[language], "-s", "140", "--stdout", text],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    return subprocess.run(
        ["opusenc", "--quiet", "--bitrate", "16", "--downmix-mono", "-", "-"],
        input=speech,
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout


def plain(html: str) -> str:
    return " ".join(strip_tags(html).split())


def media_title(text: str, language: str) -> str:
    """The media item's title: found again on a later run, by what it says."""
    digest = hashlib.sha256(f"{language}:{text}".encode()).hexdigest()[:12]
    return f"Demo narration {language} {digest}"


class Voices:
    """Narrations spoken ahead of time, by language and text, stored as media when asked for."""

    def __init__(self, audio: dict[tuple[str, str], bytes] | None = None) -> None:
        self.audio = audio or {}

    @classmethod
    def prepare(cls, texts: Iterable[tuple[str, str]]) -> Voices:
        """Speak each ``(language, html)`` that has no narration in the media library yet."""
        from wagtailmedia.models import get_media_model

        if not can_speak():
            return cls()
        Media = get_media_model()
        audio = {}
        for language, html in texts:
            text = plain(html)
            if not Media.objects.filter(title=media_title(text, language)).exists():
                audio[(language, text)] = speak(text, language)
        return cls(audio)

    def narration(self, html: str, language: str) -> Any | None:
        """The media item that reads ``html`` aloud, if it was spoken or stored before."""
        from wagtailmedia.models import get_media_model

        text = plain(html)
        title = media_title(text, language)
        Media = get_media_model()
        existing = Media.objects.filter(title=title).first()
        if existing is not None or (language, text) not in self.audio:
            return existing
        audio = self.audio[(language, text)]
        return Media.objects.create(
            title=title,
            type="audio",
            # Opus at 16 kbit/s: the byte count gives the length closely enough for the label.
            duration=round(len(audio) * 8 / 16_000, 1),
            collection=Collection.get_first_root_node(),
            file=ContentFile(audio, name=f"narration-{language}-{title[-12:]}.ogg"),
        )
