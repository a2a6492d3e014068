"""Spoken narration for the demo lessons, made on this machine with espeak-ng and opusenc.

A trainer records real voices; the demo needs some sound to show the Listen control with. The
speech is synthetic and plain, compressed to Ogg Opus at 16 kbit/s (about 2 KB a second), the
weight a narration should have on prepaid data. Without the two programs (Debian's espeak-ng and
opus-tools), the demo has no narration and says so.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
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


def ensure_narration(html: str, language: str) -> Any | None:
    """The media item that reads ``html``'s text aloud: found again on a later run, by its text."""
    from wagtailmedia.models import get_media_model

    if not can_speak():
        return None
    text = " ".join(strip_tags(html).split())
    digest = hashlib.sha256(f"{language}:{text}".encode()).hexdigest()[:12]
    title = f"Demo narration {language} {digest}"
    Media = get_media_model()
    existing = Media.objects.filter(title=title).first()
    if existing is not None:
        return existing
    audio = speak(text, language)
    return Media.objects.create(
        title=title,
        type="audio",
        # Opus at 16 kbit/s: the byte count gives the length closely enough for the label.
        duration=round(len(audio) * 8 / 16_000, 1),
        collection=Collection.get_first_root_node(),
        file=ContentFile(audio, name=f"narration-{language}-{digest}.ogg"),
    )
