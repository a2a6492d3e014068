"""Saving a page that may have been read before its children changed.

Treebeard keeps a page's children count (``numchild``) and place (``path``, ``depth``) in the
page's own row, and Wagtail's routing trusts the count: a course whose row says it has no children
answers 404 for every lesson under it. ``add_child`` and Wagtail's translation copies update the
parent's row in the database, never an instance of the parent already in memory, while ``save()``
and publishing a revision write every field of the instance. So saving a course read before its
lessons were added writes the old count back over the new one. Every page saved by Maalem's code
goes through :func:`with_current_tree` (or :func:`publish`, which uses it) first.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TypeVar

from django.db import connections
from wagtail.models import Page, Revision

TREE_FIELDS = ("path", "depth", "numchild")

AnyPage = TypeVar("AnyPage", bound=Page)


def with_current_tree(page: AnyPage) -> AnyPage:
    """``page`` with its place in the tree and its children count read again from the database.

    The rest of the instance, the content about to be saved, is left as it is. A page not saved
    yet has no row to read and is returned unchanged.
    """
    if page.pk is None:
        return page
    current = Page.objects.filter(pk=page.pk).values(*TREE_FIELDS).first()
    if current is not None:
        for name, value in current.items():
            setattr(page, name, value)
    return page


def publish(page: Page, *, user: Any = None) -> Revision:
    """Save a revision of ``page`` and publish it, without overwriting the tree's counts."""
    revision = with_current_tree(page).save_revision(user=user)
    revision.publish(user=user)
    return revision


def pages_with_wrong_children_count(using: str = "default") -> list[int]:
    """The ids of the pages whose ``numchild`` is not the number of pages under them.

    One query whatever the size of the site: a child's path is its parent's path and one more
    step. A database not migrated yet has no pages to check.
    """
    connection = connections[using]
    if Page._meta.db_table not in connection.introspection.table_names():
        return []
    rows = list(Page.objects.using(using).values_list("pk", "path", "numchild"))
    children: Counter[str] = Counter(path[: -Page.steplen] for _, path, _ in rows)
    return sorted(pk for pk, path, numchild in rows if children[path] != numchild)
