"""Writing unsaved model instances with ``COPY … FROM STDIN``, as the ORM would have stored them.

Each value goes through its field's ``get_db_prep_save``, so defaults, JSON and the encrypted
fields of personal data come out exactly as ``save()`` writes them; only the per-row ``INSERT``
and the ``pre_save`` hooks are skipped, so ``auto_now`` dates must be set by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# Fields whose Python value psycopg writes as the ORM would: no preparation needed.
PLAIN = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateTimeField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
    models.UUIDField,
)


def _preparer(field: models.Field[Any, Any], database: Any) -> Callable[[Any], Any]:
    # Encrypted fields are CharFields too: only an exact plain class skips the preparation.
    if type(field) in PLAIN or (
        isinstance(field, models.ForeignKey) and type(field.target_field) in PLAIN
    ):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, database)


def _tables(model: type[models.Model]) -> list[tuple[str, list[models.Field[Any, Any]]]]:
    """Each table ``model``'s rows live in, parents first, with the columns written there."""
    tables = []
    for klass in [*reversed(model._meta.get_parent_list()), model]:
        fields = [f for f in klass._meta.local_concrete_fields if f.column]
        tables.append((klass._meta.db_table, fields))
    return tables


def copy_rows(model: type[models.Model], instances: Iterable[models.Model]) -> int:
    """COPY ``instances`` of ``model`` (every primary key already set); returns how many."""
    tables = _tables(model)
    database = connections[DEFAULT_DB_ALIAS]
    preparers = [
        [(field.attname, _preparer(field, database)) for field in fields] for _t, fields in tables
    ]
    rows: list[list[tuple[Any, ...]]] = [[] for _ in tables]
    count = 0
    for instance in instances:
        values = instance.__dict__
        for position, prepared in enumerate(preparers):
            rows[position].append(tuple(prepare(values[name]) for name, prepare in prepared))
        count += 1
    with database.cursor() as cursor:
        for (table, fields), table_rows in zip(tables, rows, strict=True):
            columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
            quoted = connection.ops.quote_name(table)
            with cursor.connection.cursor().copy(f"COPY {quoted} ({columns}) FROM STDIN") as copy:
                for row in table_rows:
                    copy.write_row(row)
    return count


def next_id(model: type[models.Model]) -> int:
    """The first free integer primary key of ``model``'s table."""
    found = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (found or 0) + 1


def reset_sequences(models_written: Iterable[type[models.Model]]) -> None:
    """Move each table's id sequence past the ids COPY wrote, so the next ``save()`` works."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_written))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
