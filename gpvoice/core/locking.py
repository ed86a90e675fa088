"""The one locking helper for race-prone writes.

PostgreSQL: ``SELECT … FOR UPDATE`` on the parent row serialises writers of that row.
SQLite: ``select_for_update`` is a no-op, but our connections open every transaction with
``BEGIN IMMEDIATE`` (settings.base), which takes the database write lock at once, so writers
queue. Either way unique constraints remain the last line of defence.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import connection, models, transaction

M = TypeVar("M", bound=models.Model)


class NotInTransaction(RuntimeError):
    pass


def lock_row(queryset: models.QuerySet[M], **lookup: object) -> M:
    """Fetch one row and hold it until the surrounding transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("lock_row() must be called inside transaction.atomic().")
    if connection.features.has_select_for_update:
        # Lock only this row, never rows joined in by select_related: PostgreSQL refuses FOR UPDATE
        # on the nullable side of an outer join, and the parent row is the lock we mean.
        of = ("self",) if connection.features.has_select_for_update_of else ()
        queryset = queryset.select_for_update(of=of)
    return queryset.get(**lookup)
