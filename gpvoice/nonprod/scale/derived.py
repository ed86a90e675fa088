"""The derived data load-scale rebuilds last, once every row is in.

Bulk writes skip what a service keeps up to date as it writes (the resolved footprints and each
mandate round's kept coverage, ADR 8), so they are rebuilt here, in one call, after the last loader:
the same rebuild as `gpvoice recount`, which `verify-data` then checks against a full recount.
"""

from __future__ import annotations

from django.db import connection

from gpvoice.core.scale import Part
from gpvoice.operations.derived import rebuild_derived as rebuild_aggregates


def rebuild_derived() -> Part:
    rebuilt = rebuild_aggregates()
    return Part(
        "derived data",
        path="rebuilt from the rows (gpvoice recount)",
        counts={"groups": rebuilt.groups, "mandate rounds": rebuilt.rounds},
    )


def refresh_statistics() -> Part:
    """The database's planner statistics, gathered again after the bulk writes. Until autovacuum
    gets to them the planner still sees empty tables, and its first plans were wrong by 6,000 to 1
    (an index scan expecting one practice read all of them; a join expecting 27 votes sorted
    4,913). ``ANALYZE`` runs on both databases; on SQLite it fills ``sqlite_stat1``."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Part("planner statistics", path="ANALYZE after the bulk writes", counts={})
