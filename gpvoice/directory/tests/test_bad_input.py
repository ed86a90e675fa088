"""Every bad file is rejected whole, names the problem and the line, and changes nothing."""

import os

import pytest

from gpvoice.directory import layouts as files
from gpvoice.directory.importers import import_file


@pytest.fixture
def seeded(db):
    import_file("practice-map", files.practice_map([files.map_row("Z10001", "U00001")]), apply=True)
    import_file("list-sizes", files.list_sizes([files.size_row("Z10001")]), apply=True)


def _rejected(kind, data, unchanged, *expected: str):
    with unchanged():
        report = import_file(kind, data, apply=True)
    text = "\n".join(report.summary_lines())
    assert not report.ok and not report.applied, text
    for fragment in expected:
        assert fragment in text, text
    return report


GOOD_EPRACCUR = files.epraccur_row("Z10002")


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("epraccur", files.epraccur([GOOD_EPRACCUR, GOOD_EPRACCUR[:20]]), ["Line 2", "has 20 columns"]),
        ("practice-map", files.practice_map([files.map_row("Z10002")[:-2]]), ["Line 2", "has 15 columns"]),
        ("epraccur", files.to_csv([["Organisation Code", *["x"] * 26], GOOD_EPRACCUR]), ["Line 1", "header"]),
        ("practice-map", files.to_csv([files.map_row("Z10002")]), ["Line 1", "header"]),
        ("list-sizes", files.to_csv([files.size_row("Z10002")]), ["Line 1", "header"]),
        (
            "pcn-membership",
            files.to_csv([["Practice code"] * 11, files.pcn_row("Z10002", "U00002")]),
            ["Line 1", "header"],
        ),
        (
            "practice-map",
            files.practice_map([files.map_row("Z10002"), files.map_row("Z10002")]),
            ["Line 3", "Z10002 appears twice (first on line 2)"],
        ),
        ("epraccur", files.epraccur([GOOD_EPRACCUR, GOOD_EPRACCUR]), ["Line 2", "appears twice"]),
        (
            "practice-map",
            files.practice_map([files.map_row("ZZ0002")]),
            ["Line 2", "PRACTICE_CODE", "a letter and 5"],
        ),
        ("practice-map", files.practice_map([files.map_row("Z10002", "X12345")]), ["Line 2", "PCN_CODE"]),
        ("practice-map", files.practice_map([files.map_row("Z10002", icb="QQQQ")]), ["ICB_CODE"]),
        ("practice-map", files.practice_map([files.map_row("Z10002", region="Y9")]), ["COMM_REGION_CODE"]),
        (
            "practice-map",
            files.practice_map([files.map_row("Z10002", extract="31-Feb-26")]),
            ["Line 2", "not a real date"],
        ),
        (
            "epraccur",
            files.epraccur([files.epraccur_row("Z10002", opened="20261340")]),
            ["column 11", "not a real date"],
        ),
        ("epraccur", files.epraccur([files.epraccur_row("Z10002", closed="19000101")]), ["before column 11"]),
        ("epraccur", files.epraccur([files.epraccur_row("Z10002", status="MAYBE")]), ["not a known status"]),
        (
            "list-sizes",
            files.list_sizes([files.size_row("Z10001", "lots")]),
            ["Line 2", "not a whole number"],
        ),
        ("list-sizes", files.list_sizes([files.size_row("Z10001", "-5")]), ["Line 2", "cannot be negative"]),
        (
            "list-sizes",
            files.list_sizes([files.size_row("Z10001"), files.size_row("Z10001")]),
            ["appears twice"],
        ),
        (
            "pcn-membership",
            files.to_csv([files.pcn_row("Z10002", "U00002"), files.pcn_row("Z10002", "U00003")]),
            ["Line 2", "second current PCN (first on line 1)"],
        ),
        ("practice-map", b"", ["empty"]),
        ("epraccur", b"\r\n\r\n", ["empty"]),
        ("list-sizes", files.list_sizes([files.size_row("Z10001")])[:-25] + b'"unterminated', ["Line"]),
        ("epraccur", bytes(range(256)) * 40, ["binary"]),
        ("practice-map", b"\xff\xfe" + "PRACTICE_CODE".encode("utf-16-le"), ["binary"]),
        ("pcn-membership", b"PK\x03\x04 not really a workbook", ["not a readable Excel workbook"]),
        (
            "practice-map",
            files.practice_map([files.map_row("Z10002", name="<script>alert(1)</script>" + "x" * 300)]),
            ["longer than 255"],
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None,
)
def test_bad_file_is_rejected_whole(seeded, unchanged, kind, data, expected):
    _rejected(kind, data, unchanged, *expected)


def test_one_bad_row_rejects_the_good_rows_too(seeded, unchanged):
    rows = [files.map_row(f"Z2{i:04d}") for i in range(50)] + [files.map_row("BAD")]
    _rejected("practice-map", files.practice_map(rows), unchanged, "Line 52")


def test_problems_are_capped_then_counted(seeded, unchanged):
    rows = [files.size_row("Z10001", "x", extract=f"2026-01-{d:02d}") for d in range(1, 29)] * 3
    report = _rejected("list-sizes", files.list_sizes(rows), unchanged, "… and")
    assert len(report.problems.messages) == 50 and report.problems.total == len(rows)


def test_fifty_megabytes_of_junk_is_rejected_quickly(seeded, unchanged, tmp_path):
    junk = tmp_path / "junk.csv"
    with junk.open("wb") as out:
        line = (os.urandom(30).hex() + "," + "junk" * 10 + "\n").encode()
        out.write(line * (50 * 1024 * 1024 // len(line)))
    assert junk.stat().st_size > 49 * 1024 * 1024
    for kind in ("practice-map", "epraccur", "list-sizes", "pcn-membership"):
        _rejected(kind, junk, unchanged, "Line")


def test_a_file_over_the_size_limit_is_refused_before_reading(seeded, unchanged, tmp_path):
    from gpvoice.directory.importers import reading

    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.truncate(reading.MAX_BYTES + 1)  # sparse: nothing is written, nothing need be read
    for kind in ("practice-map", "epraccur", "list-sizes", "pcn-membership"):
        _rejected(kind, big, unchanged, "the limit is")
