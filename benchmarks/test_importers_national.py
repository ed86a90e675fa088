"""Times each importer on national-size input: `make bench` (not part of `make test`).

Files are synthetic but in the real layouts and at national size: 6,500 practices in ~1,300
PCNs, 16,000 epraccur rows (the rest other prescribing settings), 6,500 list sizes and PCN
memberships. Each importer is timed on a first run (everything new) and a second (no changes).
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from gpvoice.directory import layouts
from gpvoice.directory.importers import import_file

PRACTICES = 6500


def _codes() -> list[tuple[str, str, str]]:
    return [(f"Z{n:05d}", f"U{n // 5:05d}", f"{n % 100:02d}Q") for n in range(PRACTICES)]


@pytest.fixture(scope="module")
def national_files() -> dict[str, bytes]:
    codes = _codes()
    epraccur = [layouts.epraccur_row(c, sub_icb=s) for c, _, s in codes]
    epraccur += [layouts.epraccur_row(f"Y{n:05d}", setting="RO247") for n in range(16000 - PRACTICES)]
    return {
        "practice-map": layouts.practice_map([layouts.map_row(c, p, sub_icb=s) for c, p, s in codes]),
        "list-sizes": layouts.list_sizes(
            [layouts.size_row(c, str(3000 + i)) for i, (c, _, _) in enumerate(codes)]
        ),
        "epraccur": layouts.epraccur(epraccur),
        "pcn-membership": layouts.to_csv([layouts.pcn_row(c, p) for c, p, _ in codes]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["practice-map", "list-sizes", "epraccur", "pcn-membership"])
def test_importer_at_national_size(national_files, kind, capsys):
    if kind == "list-sizes":
        import_file("practice-map", national_files["practice-map"], apply=True)
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        report = import_file(kind, national_files[kind], apply=True)
        timings.append(time.perf_counter() - start)
        assert report.ok, report.summary_lines()
    with capsys.disabled():
        print(
            f"\n{kind:15} {connection.vendor:10} rows={report.rows:6} "
            f"first={timings[0]:.2f}s second={timings[1]:.2f}s"
        )
    assert report.new == report.changed == 0, "second run changes nothing"
