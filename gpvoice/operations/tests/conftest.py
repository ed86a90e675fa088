from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings

from gpvoice.operations.backups.checks import row_counts

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
only_sqlite = pytest.mark.skipif(ON_POSTGRES, reason="the SQLite path runs when DATABASE_URL is SQLite")
only_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="the PostgreSQL path runs when DATABASE_URL is postgres://"
)


@contextmanager
def unchanged() -> Iterator[None]:
    """Every table (the audit log included) holds the same number of rows after the block."""
    before = row_counts()
    yield
    assert row_counts() == before, "a refused operation changed the database"
