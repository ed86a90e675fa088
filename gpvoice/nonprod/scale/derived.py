"""The derived data load-scale rebuilds last, once every row is in.

Bulk writes skip whatever a service keeps up to date as it writes (maintained aggregates), so
whatever is derived from the rows is rebuilt here, in one call, after the last loader.
"""

from __future__ import annotations

from gpvoice.core.scale import Part


def rebuild_derived() -> Part:
    # TODO(aggregates): wire the maintained mandate-coverage rows and the materialised footprint
    # table here, by calling the `aggregates` branch's rebuild (its recount/rebuild command's
    # function) for every group, and add what it rebuilt to the counts below. Until that lands
    # nothing is derived: coverage and footprints are computed from the rows at read time.
    return Part("derived data", path="nothing to rebuild yet (see the TODO in nonprod/scale/derived.py)")
