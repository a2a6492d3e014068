"""Wagtail collections for data migrations, which get historical models without treebeard's
methods: find or add a child of the root collection by name."""

from __future__ import annotations

from typing import Any

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _number(step: str) -> int:
    return int(step, len(ALPHABET))


def root_collection(apps: Any) -> Any:
    collection_model = apps.get_model("wagtailcore", "Collection")
    root = collection_model.objects.filter(depth=1).order_by("path").first()
    if root is None:
        root = collection_model.objects.create(name="Root", path=_step(1), depth=1, numchild=0)
    return root


def child_collection(apps: Any, name: str) -> Any:
    """The root's child named ``name``, added last among its children if there is none."""
    collection_model = apps.get_model("wagtailcore", "Collection")
    root = root_collection(apps)
    existing = collection_model.objects.filter(depth=2, name=name).order_by("path").first()
    if existing is not None:
        return existing
    last = (
        collection_model.objects.filter(depth=2, path__startswith=root.path)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    position = _number(last[-STEPLEN:]) + 1 if last else 1
    child = collection_model.objects.create(
        name=name, path=root.path + _step(position), depth=2, numchild=0
    )
    collection_model.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    return child
