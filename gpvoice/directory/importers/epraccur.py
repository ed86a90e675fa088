"""The ODS epraccur.csv: GP practices and other prescribing settings; no header, 27 columns."""

from __future__ import annotations

from ..models import OrgType
from . import fields as f
from .engine import OrgRecord, ParsedFile
from .headed import guarded
from .reading import FileRejected, csv_rows

NAME = "epraccur"
PRACTICE_MAP = "practice-map"
COLUMNS = 27
GP_PRACTICE_SETTINGS = {"4", "RO76"}  # legacy code 4; current role id RO76


def parse(text: str) -> ParsedFile:
    parsed = ParsedFile(NAME, "", close_missing=frozenset({OrgType.PRACTICE}))
    legacy = current = 0
    seen: dict[str, int] = {}
    for line, row in csv_rows(text):
        parsed.rows += 1
        if line == 1 and row and not any(ch.isdigit() for ch in row[0]):
            raise FileRejected(
                "Line 1 looks like a header row; epraccur.csv has none. Is this the right file?"
            )
        if len(row) != COLUMNS:
            parsed.problems.add(line, f"has {len(row)} columns; epraccur has exactly {COLUMNS}.")
            continue
        roles = {part.strip() for part in row[25].split("|")}
        if not roles & GP_PRACTICE_SETTINGS:
            parsed.skipped += 1
            parsed.skipped_reason = "prescribing settings other than GP practices"
            continue
        legacy += "4" in roles
        current += "RO76" in roles
        guarded(parsed, line, _row, parsed, line, row, seen)
    parsed.layout = "ODS epraccur, " + (
        "legacy codes (status A/C/D/P, setting 4)"
        if legacy > current
        else "current export (status ACTIVE/INACTIVE/DORMANT, role RO76)"
    )
    return parsed


def _row(parsed: ParsedFile, line: int, row: list[str], seen: dict[str, int]) -> None:
    code = f.code(row[0], OrgType.PRACTICE, "column 1 (code)")
    if code in seen:
        raise f.BadValue(f"practice {code} appears twice (first on line {seen[code]}).")
    seen[code] = line
    region = f.optional_code(row[2], OrgType.REGION, "column 3 (region)")
    icb = f.optional_code(row[3], OrgType.ICB, "column 4 (ICB)")
    sub_icb = f.optional_code(row[14], OrgType.SUB_ICB, "column 15 (sub-ICB location)")
    opened = f.optional_date(row[10], "column 11 (open date)")
    closed = f.optional_date(row[11], "column 12 (close date)")
    if opened and closed and closed < opened:
        raise f.BadValue("column 12 (close date) is before column 11 (open date).")
    values = {
        "name": f.text(row[1], "column 2 (name)"),
        "address": ", ".join(part for part in row[4:9] if part)[:500],
        "postcode": row[9][:10],
        "opened_on": opened,
        "closed_on": closed,
        "status": f.status(row[12], "column 13 (status)"),
        "phone": row[17][:40],
    }
    links = {
        "region": parsed.add_parent_stub(OrgType.REGION, region, line) if region else None,
        "icb": parsed.add_parent_stub(OrgType.ICB, icb, line) if icb else None,
        "sub_icb": parsed.add_parent_stub(OrgType.SUB_ICB, sub_icb, line) if sub_icb else None,
    }
    # The practice map carries this month's ICB boundaries; ODS columns 3, 4 and 15 can lag.
    defer_to = dict.fromkeys(links, PRACTICE_MAP)
    parsed.add(OrgRecord(OrgType.PRACTICE, code, line, values, links=links, defer_to=defer_to))
