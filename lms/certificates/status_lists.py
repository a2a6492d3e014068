"""Handing out status-list entries: each certificate gets a slot no other certificate has, in an
order that reveals nothing, and a new list is opened when the current one is full.

The current list is the one with the highest number. Its row is locked (``select_for_update``)
while its counter moves on, so two issuers never get the same counter value; the counter value
goes through the list's keyed permutation (:mod:`.permutation`) to become the slot. The lock is
held until the caller's transaction commits, so a rolled-back certificate gives its entry back.
A full list is followed by the next number; the unique number lets exactly one issuer open it.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from . import permutation
from .conf import app_settings
from .models import Certificate, StatusList


class StatusListError(Exception):
    pass


def _open(number: int) -> None:
    """Open list ``number`` unless another issuer just did."""
    try:
        with transaction.atomic():
            StatusList.objects.create(
                number=number,
                size=app_settings.STATUS_LIST_SIZE,
                # Certificates issued before lists were recorded already sit on random entries
                # of list 1: only such a list needs each slot checked before it is handed out.
                holds_older=Certificate.objects.filter(status_list=number).exists(),
            )
    except IntegrityError:
        pass  # a concurrent issuer opened it: its row is the one


def _take(status_list: StatusList) -> int | None:
    """The next free slot of the locked ``status_list``, or None when it is full."""
    seed = bytes.fromhex(status_list.seed)
    while status_list.allocated < status_list.size:
        index = permutation.slot(seed, status_list.size, status_list.allocated)
        status_list.allocated += 1
        if not status_list.holds_older or not _taken(status_list.number, index):
            status_list.save(update_fields=["allocated"])
            return index
    status_list.save(update_fields=["allocated"])
    return None


def _taken(number: int, index: int) -> bool:
    return Certificate.objects.filter(status_list=number, status_index=index).exists()


def allocate() -> tuple[int, int]:
    """A free (list number, index) pair. Call inside the transaction that stores the certificate,
    as late in it as can be.

    The current list's row stays locked until that transaction ends: issuing is serialised per
    list, for the few milliseconds of the certificate's insert. A waiting issuer gets the row as
    the first one left it, and moves on to the next list if that one filled it.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("allocate() must run inside the certificate's transaction.")
    for _attempt in range(10):
        locked = StatusList.objects.select_for_update().order_by("-number").first()
        if locked is None:
            _open(1)
            continue
        index = _take(locked)
        if index is not None:
            return locked.number, index
        _open(locked.number + 1)
    raise StatusListError("No status list could be opened for a new certificate.")


def published(number: int) -> StatusList | None:
    """The list with this number, if it was ever opened. List 1 is always published, as
    certificates issued before lists were recorded point at it."""
    found = StatusList.objects.filter(number=number).first()
    if found is None and number == 1:
        return StatusList(number=1, size=app_settings.STATUS_LIST_SIZE)
    return found
