"""The locking helper: refuses to run outside a transaction, and on PostgreSQL locks only the parent row."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gpvoice.core.locking import NotInTransaction, lock_row
from gpvoice.core.models import LeadershipGroup


@pytest.mark.django_db(transaction=True)  # the plain marker wraps each test in a transaction
def test_lock_row_outside_a_transaction_is_refused(group):
    with pytest.raises(NotInTransaction):
        lock_row(LeadershipGroup.objects.all(), pk=group.pk)


@pytest.mark.django_db
def test_lock_row_locks_only_the_parent_row_on_postgresql(group):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (BEGIN IMMEDIATE serialises writers); CI runs it on PostgreSQL")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
    assert locked.pk == group.pk
    sql = queries.captured_queries[-1]["sql"]
    assert 'FOR UPDATE OF "core_leadershipgroup"' in sql, sql
