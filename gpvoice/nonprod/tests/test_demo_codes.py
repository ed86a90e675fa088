"""load-demo beside real organisations: it never renames, closes or staffs what it did not create."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from gpvoice.directory import layouts as files
from gpvoice.directory import ods
from gpvoice.directory.importers import import_file
from gpvoice.directory.models import Appointment, Organisation, OrgStatus, OrgType

# As load-scale's default --data-dir and the directory's real-data tests.
DATA = Path(os.environ.get("GPVOICE_SHARED_DATA", Path(settings.BASE_DIR).parent / "shared" / "data"))
REAL_FILES = {
    "practice-map": DATA / "gp-reg-pat-prac-map-2026-04.csv",
    "epraccur": DATA / "epraccur-2026-05.csv",
    "list-sizes": DATA / "gp-reg-pat-prac-all-2026-04.csv",
}
FIELDS = (
    "org_type",
    "ods_code",
    "name",
    "status",
    "closed_on",
    "postcode",
    "pcn_id",
    "sub_icb_id",
    "icb_id",
    "region_id",
    "list_size",
    "listed_by",
    "source",
    "updated_at",
)


def _snapshot() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in Organisation.objects.values_list("pk", *FIELDS)}


def _real_format_area() -> None:
    """Real-looking codes, among them the codes the demo used to take (Z9…, U9…, 99X, QX9, Y90)."""
    rows = [
        files.map_row("A81001", "U90000", sub_icb="99X", icb="QX9", region="Y90"),
        files.map_row("Z90000", "U90100", sub_icb="99Y", icb="QX9", region="Y90"),
        files.map_row("B82002", "U12345", sub_icb="16C", icb="QHM", region="Y63"),
    ]
    for kind, data in (
        ("practice-map", files.practice_map(rows)),
        ("list-sizes", files.list_sizes([files.size_row(r[2]) for r in rows])),
    ):
        assert import_file(kind, data, apply=True).ok


def _assert_demo_left_the_real_area_alone(before: dict[int, tuple]) -> None:
    after = _snapshot()
    assert {pk: after[pk] for pk in before} == before, "a real organisation changed"
    assert not Appointment.objects.filter(organisation_id__in=before).exists(), "demo people at a real one"
    for org in Organisation.objects.exclude(pk__in=before).filter(
        org_type__in=[OrgType.PRACTICE, OrgType.PCN, OrgType.SUB_ICB, OrgType.ICB, OrgType.REGION]
    ):
        assert ods.is_synthetic(org.org_type, org.ods_code), org


@pytest.mark.django_db
def test_load_demo_after_a_real_format_import_leaves_it_unchanged():
    _real_format_area()
    before = _snapshot()
    call_command("load-demo")
    _assert_demo_left_the_real_area_alone(before)


@pytest.mark.django_db
@pytest.mark.skipif(
    not all(p.is_file() for p in REAL_FILES.values()), reason=f"the real NHS files are not in {DATA}"
)
def test_load_demo_after_the_real_national_files_leaves_every_practice_as_it_was():
    for kind, path in REAL_FILES.items():
        assert import_file(kind, path, apply=True).ok
    before = _snapshot()
    active = Organisation.objects.filter(org_type=OrgType.PRACTICE, status=OrgStatus.ACTIVE).count()
    call_command("load-demo")
    _assert_demo_left_the_real_area_alone(before)
    assert (
        Organisation.objects.filter(pk__in=before, org_type=OrgType.PRACTICE, status=OrgStatus.ACTIVE).count()
        == active
    )


@pytest.mark.django_db
def test_a_real_file_after_the_demo_does_not_close_the_demo_practices():
    call_command("load-demo")
    demo = set(
        Organisation.objects.filter(org_type=OrgType.PRACTICE, status=OrgStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    _real_format_area()
    assert len(demo) == 40
    assert (
        set(Organisation.objects.filter(pk__in=demo, status=OrgStatus.ACTIVE).values_list("pk", flat=True))
        == demo
    )


@pytest.mark.django_db
def test_a_real_file_still_closes_the_real_practices_it_stopped_listing():
    _real_format_area()
    rows = [files.map_row("A81001", "U90000", sub_icb="99X", icb="QX9", region="Y90")]
    report = import_file("practice-map", files.practice_map(rows), apply=True)
    assert report.ok and report.closed == 4  # practices Z90000 and B82002, PCNs U90100 and U12345
