"""A task that reports how many database connections its worker process has opened so far.

Loaded only into the worker of ``tests/test_worker_connections.py`` (``--include``).
"""

from pathlib import Path
from typing import Any

from celery import shared_task
from django.db import connection
from django.db.backends.signals import connection_created

opened = 0


def _count(**kwargs: Any) -> None:
    global opened
    opened += 1


connection_created.connect(_count)


@shared_task
def record_connections_opened(path: str) -> None:
    """Run a query, as any task would, then append the count to ``path``."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    with Path(path).open("a", encoding="utf-8") as record:
        record.write(f"{opened}\n")
