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
        queryset = queryset.select_for_update()
    return queryset.get(**lookup)
