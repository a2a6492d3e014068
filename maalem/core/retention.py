"""Personal data is kept only as long as its purpose: each app registers a purger here.

A purger takes ``dry_run`` and returns how many items of each kind are past their retention
period (``{"kind": count}``), purging them unless ``dry_run``. Kinds name what goes, never whose.
``manage.py purge_expired_data`` and the daily beat task call every registered purger, so the
kernel needs no import of the apps that hold the data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

Purger = Callable[..., dict[str, int]]

_purgers: dict[str, Purger] = {}


def register(name: str, purger: Purger) -> None:
    """Add (or replace) the purger of an app; called from its ``AppConfig.ready``."""
    _purgers[name] = purger


def cutoff(days: int, now: datetime | None = None) -> datetime:
    """The moment before which something kept ``days`` days is past its retention period."""
    return (now or timezone.now()) - timedelta(days=days)


def purge_expired(*, dry_run: bool = False) -> dict[str, int]:
    """Run every registered purger; returns the counts per kind, prefixed with the purger's
    name (e.g. ``onboarding.drafts``)."""
    counts: dict[str, int] = {}
    for name, purger in sorted(_purgers.items()):
        for kind, count in purger(dry_run=dry_run).items():
            counts[f"{name}.{kind}"] = count
    return counts
