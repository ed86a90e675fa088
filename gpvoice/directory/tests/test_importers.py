from datetime import date

import pytest

from gpvoice.directory import layouts as files
from gpvoice.directory.importers import import_file
from gpvoice.directory.models import ListSize, Organisation, OrgStatus, OrgType


def _org(code: str, org_type: str = OrgType.PRACTICE) -> Organisation:
    return Organisation.objects.get(org_type=org_type, ods_code=code)


@pytest.mark.django_db
def test_practice_map_builds_the_hierarchy():
    data = files.practice_map(
        [files.map_row("Z10001", "U00001"), files.map_row("Z10002", "U00001"), files.map_row("Z10003", "U")]
    )
    report = import_file("practice-map", data, apply=True)
    assert report.ok and report.applied
    assert report.new == 3 + 1 + 1 + 1 + 1  # practices, PCN, sub-ICB, ICB, region
    practice = _org("Z10001")
    assert practice.pcn.ods_code == "U00001"
    assert (
        practice.sub_icb.ods_code == "99A"
        and practice.icb.ods_code == "QZZ"
        and practice.region.ods_code == "Y99"
    )
    assert _org("U00001", OrgType.PCN).sub_icb == practice.sub_icb
    assert _org("99A", OrgType.SUB_ICB).icb.ods_code == "QZZ"
    assert _org("Z10003").pcn is None, "U means unallocated: no PCN"


@pytest.mark.django_db
def test_second_run_reports_no_changes():
    data = files.practice_map([files.map_row("Z10001")])
    import_file("practice-map", data, apply=True)
    again = import_file("practice-map", data, apply=True)
    assert (again.new, again.changed, again.closed, again.unchanged) == (0, 0, 0, 5)


@pytest.mark.django_db
def test_dry_run_counts_but_changes_nothing(unchanged):
    data = files.practice_map([files.map_row("Z10001")])
    with unchanged():
        report = import_file("practice-map", data, apply=False)
    assert report.new == 5 and not report.applied
    assert "Dry run: nothing was changed." in report.summary_lines()


@pytest.mark.django_db
def test_practice_that_moves_pcn_is_reported_changed_and_relinked():
    import_file("practice-map", files.practice_map([files.map_row("Z10001", "U00001")]), apply=True)
    moved = import_file("practice-map", files.practice_map([files.map_row("Z10001", "U00002")]), apply=True)
    assert _org("Z10001").pcn.ods_code == "U00002"
    assert moved.new == 1 and moved.changed == 1  # the new PCN; the practice relinked
    assert moved.closed == 1 and _org("U00001", OrgType.PCN).status == OrgStatus.CLOSED, (
        "the old PCN is now empty"
    )


@pytest.mark.django_db
def test_disappeared_practice_is_closed_never_deleted():
    import_file(
        "practice-map", files.practice_map([files.map_row("Z10001"), files.map_row("Z10002")]), apply=True
    )
    report = import_file("practice-map", files.practice_map([files.map_row("Z10001")]), apply=True)
    gone = _org("Z10002")
    assert report.closed == 1 and gone.status == OrgStatus.CLOSED and gone.closed_on is not None


@pytest.mark.django_db
@pytest.mark.parametrize(("crlf", "bom"), [(True, False), (False, False), (True, True), (False, True)])
def test_line_endings_and_byte_order_mark_are_accepted(crlf, bom):
    report = import_file(
        "practice-map", files.practice_map([files.map_row("Z10001")], crlf=crlf, bom=bom), apply=True
    )
    assert report.ok and _org("Z10001").name == "Practice Z10001"


@pytest.mark.django_db
def test_list_sizes_keep_history_and_show_the_latest():
    import_file("practice-map", files.practice_map([files.map_row("Z10001")]), apply=True)
    import_file(
        "list-sizes", files.list_sizes([files.size_row("Z10001", "5000", extract="2026-03-01")]), apply=True
    )
    report = import_file("list-sizes", files.list_sizes([files.size_row("Z10001", "5100")]), apply=True)
    practice = _org("Z10001")
    assert report.new == 1
    assert (practice.list_size, practice.list_size_date) == (5100, date(2026, 4, 1))
    assert ListSize.objects.filter(organisation=practice).count() == 2
    corrected = import_file("list-sizes", files.list_sizes([files.size_row("Z10001", "5101")]), apply=True)
    assert corrected.changed == 1 and _org("Z10001").list_size == 5101


@pytest.mark.django_db
def test_list_size_rows_other_than_all_are_skipped_and_unknown_practices_said():
    import_file("practice-map", files.practice_map([files.map_row("Z10001")]), apply=True)
    rows = [files.size_row("Z10001"), files.size_row("Z10001", "2400", sex="MALE"), files.size_row("Z19999")]
    report = import_file("list-sizes", files.list_sizes(rows), apply=True)
    assert report.new == 1 and report.skipped == 2


@pytest.mark.django_db
def test_epraccur_current_export_imports_practices_and_skips_other_settings():
    rows = [
        files.epraccur_row("Z10001"),
        files.epraccur_row("Z10002", status="INACTIVE", closed="20200331"),
        files.epraccur_row("Z10003", status="DORMANT"),
        files.epraccur_row("Z10004", setting="RO76|RO268"),
        files.epraccur_row("Y10005", setting="RO247"),
    ]
    report = import_file("epraccur", files.epraccur(rows), apply=True)
    assert report.ok and "current export" in report.layout
    assert report.skipped == 1 and "other than GP practices" in report.skipped_reason
    assert _org("Z10002").status == OrgStatus.CLOSED and _org("Z10002").closed_on == date(2020, 3, 31)
    assert _org("Z10003").status == OrgStatus.DORMANT
    assert _org("Z10001").sub_icb.ods_code == "99A" and _org("Z10001").phone == "01234 567890"
    assert not Organisation.objects.filter(ods_code="Y10005").exists()


@pytest.mark.django_db
def test_epraccur_legacy_codes_are_understood():
    rows = [
        files.epraccur_row("Z10001", status="A", setting="4"),
        files.epraccur_row("Z10002", status="C", setting="4", closed="20190101"),
        files.epraccur_row("Z10003", status="P", setting="4"),
        files.epraccur_row("Z10004", setting="1"),
    ]
    report = import_file("epraccur", files.epraccur(rows), apply=True)
    assert "legacy" in report.layout and report.skipped == 1
    assert [_org(c).status for c in ("Z10001", "Z10002", "Z10003")] == ["active", "closed", "proposed"]


@pytest.mark.django_db
def test_epraccur_does_not_rename_parents_the_map_named():
    import_file("practice-map", files.practice_map([files.map_row("Z10001")]), apply=True)
    report = import_file("epraccur", files.epraccur([files.epraccur_row("Z10001")]), apply=True)
    assert _org("99A", OrgType.SUB_ICB).name == "Sub-ICB 99A"
    assert report.new == 0


@pytest.mark.django_db
def test_pcn_membership_csv_links_current_members_and_closes_absent_pcns():
    rows = [
        files.pcn_row("Z10001", "U00001"),
        files.pcn_row("Z10002", "U00001", end="20210331"),
        files.pcn_row("Z10002", "U00002", start="20210401"),
        files.pcn_row("Z10003", "U00003"),
    ]
    report = import_file("pcn-membership", files.to_csv(rows), apply=True)
    assert report.ok and "CSV" in report.layout
    assert _org("Z10002").pcn.ods_code == "U00002", "the current membership wins"
    closes = import_file("pcn-membership", files.to_csv(rows[:3]), apply=True)
    assert closes.closed == 1 and _org("U00003", OrgType.PCN).status == OrgStatus.CLOSED


@pytest.mark.django_db
def test_pcn_membership_workbook(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "PCNDetails"
    sheet = book.create_sheet("PCN Core Partner\nDetails")
    sheet.append(["Some title row"])
    sheet.append(
        [
            "Partner\nOrganisation Code",
            "Partner Name",
            "Sub ICB",
            "Name",
            "PCN Code",
            "PCN Name",
            "PCN Sub ICB",
            "Name",
            "Start",
            "End",
            "Match",
        ]
    )
    sheet.append(
        [
            "Z10001",
            "Practice Z10001",
            "99A",
            "Sub-ICB 99A",
            "U00001",
            "PCN U00001",
            "99A",
            "Sub-ICB 99A",
            date(2020, 4, 1),
            None,
            "Y",
        ]
    )
    path = tmp_path / "ePCN.xlsx"
    book.save(path)
    report = import_file("pcn-membership", path, apply=True)
    assert report.ok and "workbook" in report.layout
    assert _org("Z10001").pcn.ods_code == "U00001"
