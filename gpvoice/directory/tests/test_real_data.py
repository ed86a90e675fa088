"""The real national files published by NHS England, read from ../shared/data when present."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from gpvoice.directory.importers import import_file
from gpvoice.directory.models import Organisation, OrgStatus, OrgType

DATA = Path(os.environ.get("GPVOICE_SHARED_DATA", Path(__file__).resolve().parents[4] / "shared" / "data"))
MAP = DATA / "gp-reg-pat-prac-map-2026-04.csv"
SIZES = DATA / "gp-reg-pat-prac-all-2026-04.csv"
EPRACCUR = DATA / "epraccur-2026-05.csv"


def _needs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"real NHS file absent: {path} (set GPVOICE_SHARED_DATA to its folder)")


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


@pytest.mark.django_db
def test_national_practice_map_imports_every_row():
    _needs(MAP)
    rows = _rows(MAP)[1:]
    report = import_file("practice-map", MAP, apply=True)
    assert report.ok, report.summary_lines()
    assert Organisation.objects.filter(org_type=OrgType.PRACTICE).count() == len(rows) == 6168
    real_pcns = {r[5] for r in rows} - {"U"}
    assert Organisation.objects.filter(org_type=OrgType.PCN).count() == len(real_pcns) == 1297
    assert Organisation.objects.filter(org_type=OrgType.ICB).count() == len({r[11] for r in rows}) == 36
    assert Organisation.objects.filter(org_type=OrgType.SUB_ICB).count() == 106
    assert Organisation.objects.filter(org_type=OrgType.REGION).count() == 7
    unallocated = sum(1 for r in rows if r[5] == "U")
    assert (
        Organisation.objects.filter(org_type=OrgType.PRACTICE, pcn__isnull=True).count() == unallocated == 69
    )
    again = import_file("practice-map", MAP, apply=True)
    assert (again.new, again.changed, again.closed) == (0, 0, 0)


@pytest.mark.django_db
def test_national_list_sizes_total_matches_the_file():
    _needs(MAP)
    _needs(SIZES)
    import_file("practice-map", MAP, apply=True)
    report = import_file("list-sizes", SIZES, apply=True)
    assert report.ok and report.new == 6168
    from django.db.models import Sum

    total = Organisation.objects.filter(org_type=OrgType.PRACTICE).aggregate(t=Sum("list_size"))["t"]
    assert total == sum(int(r[9]) for r in _rows(SIZES)[1:]) == 63_673_685


@pytest.mark.django_db
def test_national_epraccur_imports_every_gp_practice():
    _needs(EPRACCUR)
    rows = _rows(EPRACCUR)
    practices = [r for r in rows if "RO76" in r[25].split("|")]
    report = import_file("epraccur", EPRACCUR, apply=True)
    assert report.ok, report.summary_lines()
    assert report.rows == len(rows) == 15493
    assert report.skipped == len(rows) - len(practices)
    assert Organisation.objects.filter(org_type=OrgType.PRACTICE).count() == len(practices) == 8191
    by_status = {s: sum(1 for r in practices if r[12] == s) for s in ("ACTIVE", "INACTIVE", "DORMANT")}
    assert (
        Organisation.objects.filter(org_type=OrgType.PRACTICE, status=OrgStatus.ACTIVE).count()
        == by_status["ACTIVE"]
    )
    assert (
        Organisation.objects.filter(org_type=OrgType.PRACTICE, status=OrgStatus.CLOSED).count()
        == by_status["INACTIVE"]
    )
    assert (
        Organisation.objects.filter(org_type=OrgType.PRACTICE, status=OrgStatus.DORMANT).count()
        == by_status["DORMANT"]
    )
