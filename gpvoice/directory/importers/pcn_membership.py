"""PCN core partner details: the ePCN.xlsx workbook, or its headerless 11-column CSV export."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain
from pathlib import Path

from ..models import OrgType
from . import fields as f
from .engine import OrgRecord, ParsedFile
from .headed import guarded
from .reading import FileRejected, csv_rows, normalise_header, read_bytes, read_text

NAME = "pcn-membership"
COLUMNS = 11
SHEET = "pcncorepartnerdetails"
XLSX_MAGIC = b"PK\x03\x04"


def parse_source(source: Path | bytes) -> ParsedFile:
    data = read_bytes(source)
    if data[:4] == XLSX_MAGIC:
        return _parse_rows(_xlsx_rows(data), "ePCN workbook (sheet PCN Core Partner Details)")
    rows = csv_rows(read_text(data))
    first = next(rows, None)
    if first and not any(ch.isdigit() for ch in first[1][0]):
        raise FileRejected("Line 1 looks like a header row; the ePCN CSV export has none.")
    # Streamed, not listed: a large file of junk is reported without holding every row.
    return _parse_rows(
        chain([first] if first else [], rows), "ePCN core partner CSV export (11 columns, no header)"
    )


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same message
        raise FileRejected("This is not a readable Excel workbook.") from None
    sheet = next((book[n] for n in book.sheetnames if normalise_header(n) == SHEET), None)
    if sheet is None:
        raise FileRejected(
            f"The workbook has no sheet named PCN Core Partner Details (it has {', '.join(book.sheetnames)})."
        )
    rows: list[tuple[int, list[str]]] = []
    header_found = False
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell(v) for v in values][:COLUMNS]
        if not header_found:
            header_found = bool(cells) and normalise_header(cells[0]).startswith("partnerorganisationcode")
            continue
        if any(cells):
            rows.append((number, cells + [""] * (COLUMNS - len(cells))))
    if not header_found:
        raise FileRejected(
            "The PCN Core Partner Details sheet has no header row starting 'Partner Organisation Code'."
        )
    return rows


def _cell(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y%m%d")
    return "" if value is None else str(value).strip()


def _parse_rows(rows: Iterable[tuple[int, list[str]]], layout: str) -> ParsedFile:
    parsed = ParsedFile(NAME, layout, close_missing=frozenset({OrgType.PCN}))
    current: dict[str, int] = {}
    today = date.today()
    for line, row in rows:
        parsed.rows += 1
        if len(row) != COLUMNS:
            parsed.problems.add(line, f"has {len(row)} columns; the PCN core partner file has {COLUMNS}.")
            continue
        guarded(parsed, line, _row, parsed, line, row, current, today)
    return parsed


def _row(parsed: ParsedFile, line: int, row: list[str], current: dict[str, int], today: date) -> None:
    practice = f.code(row[0], OrgType.PRACTICE, "column 1 (practice code)")
    practice_sub_icb = f.code(row[2], OrgType.SUB_ICB, "column 3 (practice sub-ICB code)")
    pcn = f.code(row[4], OrgType.PCN, "column 5 (PCN code)")
    pcn_sub_icb = f.code(row[6], OrgType.SUB_ICB, "column 7 (PCN sub-ICB code)")
    start = f.parse_date(row[8], "column 9 (start date)")
    end = f.optional_date(row[9], "column 10 (end date)")
    if end and end < start:
        raise f.BadValue("column 10 (end date) is before column 9 (start date).")
    for code, name, column in ((practice_sub_icb, row[3], 4), (pcn_sub_icb, row[7], 8)):
        parsed.add(
            OrgRecord(OrgType.SUB_ICB, code, line, defaults={"name": f.text(name, f"column {column}")})
        )
    parsed.add(
        OrgRecord(
            OrgType.PCN,
            pcn,
            line,
            {"name": f.text(row[5], "column 6 (PCN name)")},
            links={"sub_icb": (OrgType.SUB_ICB, pcn_sub_icb)},
        )
    )
    is_current = end is None or end >= today
    if is_current and practice in current:
        raise f.BadValue(f"practice {practice} has a second current PCN (first on line {current[practice]}).")
    if is_current or (OrgType.PRACTICE, practice) not in parsed.records:
        record = OrgRecord(
            OrgType.PRACTICE,
            practice,
            line,
            {"name": f.text(row[1], "column 2 (practice name)")},
            links={
                "pcn": (OrgType.PCN, pcn) if is_current else None,
                "sub_icb": (OrgType.SUB_ICB, practice_sub_icb),
            },
        )
        parsed.records[record.key] = record  # the current membership wins over ended ones
    if is_current:
        current[practice] = line
