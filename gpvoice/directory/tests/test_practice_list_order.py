"""The practice list reads one page of England's practices through an index in the order asked
for, instead of sorting the whole directory (issue 11). PostgreSQL only: SQLite's planner is not
what serves a national directory, and it cannot index NULLS LAST."""

from __future__ import annotations

import pytest
from django.db import connection

from gpvoice.directory import selectors
from gpvoice.directory.tests.factories import OrganisationFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the query plan under test is PostgreSQL's"
)


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("sort", sorted(selectors.SORTS))
def test_each_sort_of_englands_practices_is_read_in_index_order(group, sort):
    for n in range(30):
        OrganisationFactory(ods_code=f"Z5{n:04d}", list_size=None if n % 7 == 0 else 1000 + n)
    page = selectors.practice_list(
        group=group, filters=selectors.PracticeFilters(scope=selectors.Scope.ENGLAND, sort=sort)
    )[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # a sort is then chosen only if no index has the order
        plan = page.explain()
    assert "Sort" not in plan, plan
    assert "Index Scan" in plan, plan
