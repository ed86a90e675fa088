"""Writing many rows fast, for loaders of national volume (``gpvoice load-scale``), not for requests.

``bulk_create`` builds a model instance and prepares every value through its field for each row,
which costs tens of microseconds a row: minutes for the millions of rows of a national dataset.
Here rows are plain tuples in the order of the columns named, ids are reserved up front (so rows
that point at each other can be written without reading anything back), and the rows go in with
PostgreSQL's ``COPY`` or one prepared ``INSERT`` run for every row (SQLite's ``executemany``).
Constraints and foreign keys are checked by the database as usual. No ``save()`` or signal runs:
callers write what the service would write, including its audit entries (``audit.record_many``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        return lambda v: json.dumps(v, cls=DjangoJSONEncoder)
    if connection.vendor == "postgresql" and not isinstance(field, models.UUIDField):
        return lambda v: v  # psycopg adapts dates, times and numbers itself
    return lambda v: field.get_db_prep_save(v, connection)


class Table:
    """The rows of one model's table, by column attname (``ballot_id``, not ``ballot``)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [fields[c] for c in columns]
        self.table = model._meta.db_table

    def reserve_ids(self, count: int) -> list[int]:
        """``count`` new primary keys. Call inside the transaction that writes the rows: on SQLite
        the transaction holds the write lock (BEGIN IMMEDIATE), so nobody else takes these ids."""
        if count <= 0:
            return []
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(self.table)}")  # noqa: S608
            start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        converters = [_converter(f) for f in self.fields]  # per write: the connection decides
        converted = [tuple(c(v) for c, v in zip(converters, row, strict=True)) for row in rows]
        if not converted:
            return 0
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
                    for row in converted:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                sql = f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, converted)
        return len(converted)
