"""Sending the apps' documented signals once the change they announce is committed."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_after_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send ``signal`` when the current transaction commits (at once outside a transaction).

    Receivers run with ``send_robust``: the change is committed by then, so a failing receiver
    must not make it look as if the change had failed, nor stop the other receivers. Each
    failure is logged with its traceback; the stored rows let a receiver's work be re-run.
    """

    def send() -> None:
        for receiver, response in signal.send_robust(sender=sender, **kwargs):
            if isinstance(response, Exception):
                logger.error(
                    "receiver %r failed for %s (%s)",
                    receiver,
                    getattr(sender, "__name__", sender),
                    describe(kwargs),
                    exc_info=response,
                )

    transaction.on_commit(send)


def describe(arguments: dict[str, Any]) -> str:
    # Rows by their primary key only: a row's text may hold a learner's name.
    return ", ".join(f"{name}={getattr(value, 'pk', value)!s}" for name, value in arguments.items())
