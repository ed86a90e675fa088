"""Importers side by side: each closes what its own file dropped, and none undoes another."""

import pytest

from gpvoice.core.models import AuditEntry
from gpvoice.directory import layouts as files
from gpvoice.directory.importers import import_file
from gpvoice.directory.models import Organisation, OrgStatus, OrgType


def _status(code: str, org_type: str = OrgType.PRACTICE) -> str:
    return Organisation.objects.get(org_type=org_type, ods_code=code).status


def _map(*codes: str) -> bytes:
    return files.practice_map([files.map_row(code) for code in codes])


@pytest.mark.django_db
def test_map_closes_a_practice_it_dropped_even_after_epraccur_wrote_it():
    import_file("practice-map", _map("Z10001", "Z10002"), apply=True)
    epraccur = files.epraccur([files.epraccur_row("Z10001"), files.epraccur_row("Z10002")])
    assert import_file("epraccur", epraccur, apply=True).changed == 2
    dropped = import_file("practice-map", _map("Z10001"), apply=True)
    assert dropped.closed == 1 and _status("Z10002") == OrgStatus.CLOSED
    assert Organisation.objects.filter(ods_code="Z10002").exists(), "closed, never deleted"


@pytest.mark.django_db
def test_pcn_membership_closes_a_pcn_the_map_created():
    import_file(
        "practice-map",
        files.practice_map([files.map_row("Z10001", "U00001"), files.map_row("Z10002", "U00002")]),
        apply=True,
    )
    both = files.to_csv([files.pcn_row("Z10001", "U00001"), files.pcn_row("Z10002", "U00002")])
    first = import_file("pcn-membership", both, apply=True)
    assert (first.new, first.changed, first.closed) == (0, 0, 0), "listing alone is not a change"
    merged = files.to_csv([files.pcn_row("Z10001", "U00001"), files.pcn_row("Z10002", "U00001")])
    report = import_file("pcn-membership", merged, apply=True)
    assert report.closed == 1 and _status("U00002", OrgType.PCN) == OrgStatus.CLOSED
    again = import_file("pcn-membership", merged, apply=True)
    assert (again.new, again.changed, again.closed) == (0, 0, 0)


@pytest.mark.django_db
def test_a_practice_back_in_the_map_is_reopened():
    import_file("practice-map", _map("Z10001", "Z10002"), apply=True)
    import_file("practice-map", _map("Z10001"), apply=True)
    back = import_file("practice-map", _map("Z10001", "Z10002"), apply=True)
    assert back.changed == 1 and _status("Z10002") == OrgStatus.ACTIVE
    practice = Organisation.objects.get(ods_code="Z10002")
    assert practice.closed_on is None
    assert import_file("practice-map", _map("Z10001", "Z10002"), apply=True).changed == 0


@pytest.mark.django_db
def test_a_practice_epraccur_closed_stays_closed_while_the_map_still_lists_it():
    import_file("practice-map", _map("Z10001"), apply=True)
    inactive = files.epraccur([files.epraccur_row("Z10001", status="INACTIVE", closed="20260331")])
    import_file("epraccur", inactive, apply=True)
    import_file("practice-map", _map("Z10001"), apply=True)  # renames it to the map's spelling
    assert _status("Z10001") == OrgStatus.CLOSED, "still listed by the map, so not a return"


@pytest.mark.django_db
def test_listing_bookkeeping_waits_for_apply(unchanged):
    import_file("practice-map", files.practice_map([files.map_row("Z10001", "U00001")]), apply=True)
    with unchanged():
        import_file("pcn-membership", files.to_csv([files.pcn_row("Z10001", "U00001")]), apply=False)


@pytest.mark.django_db
def test_an_applied_import_is_audited_with_its_counts():
    import_file("practice-map", _map("Z10001"), apply=True)
    entry = AuditEntry.objects.get(action="directory.import.applied")
    assert entry.data["importer"] == "practice-map" and entry.data["new"] == 5


@pytest.mark.django_db
def test_map_and_epraccur_do_not_undo_each_other():
    mapped = files.practice_map([files.map_row("Z10001", name="Old Name Surgery", icb="QZZ")])
    ods = files.epraccur([files.epraccur_row("Z10001", icb="QYY")])  # ODS: renamed; an older ICB
    import_file("practice-map", mapped, apply=True)
    import_file("epraccur", ods, apply=True)
    practice = Organisation.objects.get(ods_code="Z10001")
    assert practice.name == "PRACTICE Z10001", "ODS owns the name"
    assert practice.icb.ods_code == "QZZ", "the map owns this month's ICB"
    for kind, data in (("practice-map", mapped), ("epraccur", ods)) * 2:
        report = import_file(kind, data, apply=True)
        assert (report.new, report.changed, report.closed) == (0, 0, 0), (kind, report.summary_lines())


@pytest.mark.django_db
def test_epraccur_alone_still_sets_the_links():
    import_file("epraccur", files.epraccur([files.epraccur_row("Z10001", icb="QYY")]), apply=True)
    assert Organisation.objects.get(ods_code="Z10001").icb.ods_code == "QYY"
