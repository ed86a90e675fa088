"""NHS England's gp-reg-pat-prac-all.csv: registered patients per practice at an extract date."""

from __future__ import annotations

from ..models import OrgType
from . import fields as f
from .engine import ListSizeRecord, ParsedFile
from .headed import guarded, headed_rows

NAME = "list-sizes"
REQUIRED = ("CODE", "NUMBER_OF_PATIENTS", "EXTRACT_DATE", "TYPE", "SEX", "AGE")


def parse(text: str) -> ParsedFile:
    parsed = ParsedFile(NAME, "NHS England registered patients (gp-reg-pat-prac-all.csv)")
    seen: dict[tuple[str, object], int] = {}
    for line, row in headed_rows(text, REQUIRED, parsed):
        if (row["TYPE"].upper(), row["SEX"].upper(), row["AGE"].upper()) != ("GP", "ALL", "ALL"):
            parsed.skipped += 1
            parsed.skipped_reason = "rows other than TYPE=GP, SEX=ALL, AGE=ALL"
            continue
        guarded(parsed, line, _row, parsed, line, row, seen)
    return parsed


def _row(parsed: ParsedFile, line: int, row: dict[str, str], seen: dict[tuple[str, object], int]) -> None:
    code = f.code(row["CODE"], OrgType.PRACTICE, "CODE")
    extract = f.parse_date(row["EXTRACT_DATE"], "EXTRACT_DATE")
    patients = f.count(row["NUMBER_OF_PATIENTS"], "NUMBER_OF_PATIENTS")
    if (code, extract) in seen:
        raise f.BadValue(f"practice {code} appears twice (first on line {seen[(code, extract)]}).")
    seen[(code, extract)] = line
    parsed.list_sizes.append(ListSizeRecord(code, extract, patients, line))
