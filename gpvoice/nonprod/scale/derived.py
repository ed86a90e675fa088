"""The derived data load-scale rebuilds last, once every row is in.

Bulk writes skip what a service keeps up to date as it writes (the resolved footprints and each
mandate round's kept coverage, ADR 8), so they are rebuilt here, in one call, after the last loader:
the same rebuild as `gpvoice recount`, which `verify-data` then checks against a full recount.
"""

from __future__ import annotations

from gpvoice.core.scale import Part
from gpvoice.operations.derived import rebuild_derived as rebuild_aggregates


def rebuild_derived() -> Part:
    rebuilt = rebuild_aggregates()
    return Part(
        "derived data",
        path="rebuilt from the rows (gpvoice recount)",
        counts={"groups": rebuilt.groups, "mandate rounds": rebuilt.rounds},
    )
