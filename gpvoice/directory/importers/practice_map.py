"""NHS England's gp-reg-pat-prac-map.csv: practices, PCNs, sub-ICBs, ICBs, regions and links."""

from __future__ import annotations

from ..models import OrgType
from . import fields as f
from .engine import OrgRecord, ParsedFile
from .headed import guarded, headed_rows
from .ods_unallocated import pcn_link

NAME = "practice-map"
EPRACCUR = "epraccur"
REQUIRED = (
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME",
    "ICB_CODE",
    "ICB_NAME",
    "COMM_REGION_CODE",
    "COMM_REGION_NAME",
    "EXTRACT_DATE",
)


def parse(text: str) -> ParsedFile:
    parsed = ParsedFile(
        NAME,
        "NHS England practice mapping (gp-reg-pat-prac-map.csv)",
        close_missing=frozenset({OrgType.PRACTICE, OrgType.PCN}),
    )
    seen: dict[str, int] = {}
    for line, row in headed_rows(text, REQUIRED, parsed):
        guarded(parsed, line, _row, parsed, line, row, seen)
    return parsed


def _row(parsed: ParsedFile, line: int, row: dict[str, str], seen: dict[str, int]) -> None:
    practice = f.code(row["PRACTICE_CODE"], OrgType.PRACTICE, "PRACTICE_CODE")
    if practice in seen:
        raise f.BadValue(f"practice {practice} appears twice (first on line {seen[practice]}).")
    seen[practice] = line
    f.parse_date(row["EXTRACT_DATE"], "EXTRACT_DATE")
    region = f.code(row["COMM_REGION_CODE"], OrgType.REGION, "COMM_REGION_CODE")
    icb = f.code(row["ICB_CODE"], OrgType.ICB, "ICB_CODE")
    sub_icb = f.code(row["SUB_ICB_LOCATION_CODE"], OrgType.SUB_ICB, "SUB_ICB_LOCATION_CODE")
    pcn = pcn_link(row["PCN_CODE"], "PCN_CODE")
    records = [
        OrgRecord(
            OrgType.REGION, region, line, {"name": f.text(row["COMM_REGION_NAME"], "COMM_REGION_NAME")}
        ),
        OrgRecord(
            OrgType.ICB,
            icb,
            line,
            {"name": f.text(row["ICB_NAME"], "ICB_NAME")},
            links={"region": (OrgType.REGION, region)},
        ),
        OrgRecord(
            OrgType.SUB_ICB,
            sub_icb,
            line,
            {"name": f.text(row["SUB_ICB_LOCATION_NAME"], "SUB_ICB_LOCATION_NAME")},
            links={"icb": (OrgType.ICB, icb), "region": (OrgType.REGION, region)},
        ),
    ]
    if pcn:
        records.append(
            OrgRecord(
                OrgType.PCN,
                pcn[1],
                line,
                {"name": f.text(row["PCN_NAME"], "PCN_NAME")},
                links={
                    "sub_icb": (OrgType.SUB_ICB, sub_icb),
                    "icb": (OrgType.ICB, icb),
                    "region": (OrgType.REGION, region),
                },
            )
        )
    records.append(
        OrgRecord(
            OrgType.PRACTICE,
            practice,
            line,
            {
                "name": f.text(row["PRACTICE_NAME"], "PRACTICE_NAME"),
                "postcode": row["PRACTICE_POSTCODE"][:10],
            },
            links={
                "pcn": pcn,
                "sub_icb": (OrgType.SUB_ICB, sub_icb),
                "icb": (OrgType.ICB, icb),
                "region": (OrgType.REGION, region),
            },
            defer_to={"name": EPRACCUR, "postcode": EPRACCUR},  # ODS is the register of names
        )
    )
    for record in records:
        parsed.add(record)
