"""Writers for the real NHS file layouts (synthetic content): used by the tests and the demo."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

MAP_HEADER = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    "ONS_SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_NAME",
    "ONS_ICB_CODE",
    "ICB_CODE",
    "ICB_NAME",
    "ONS_COMM_REGION_CODE",
    "COMM_REGION_CODE",
    "COMM_REGION_NAME",
    "SUPPLIER_NAME",
]
SIZES_HEADER = [
    "PUBLICATION",
    "EXTRACT_DATE",
    "TYPE",
    "SUB_ICB_LOCATION_CODE",
    "ONS_SUB_ICB_LOCATION_CODE",
    "CODE",
    "POSTCODE",
    "SEX",
    "AGE",
    "NUMBER_OF_PATIENTS",
]


def to_csv(rows: Iterable[list[str]], *, crlf: bool = True, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def map_row(
    practice: str,
    pcn: str = "U00001",
    *,
    name: str | None = None,
    sub_icb: str = "99A",
    icb: str = "QZZ",
    region: str = "Y99",
    extract: str = "01-Apr-26",
) -> list[str]:
    pcn_name = "Unallocated" if pcn == "U" else f"PCN {pcn}"
    return [
        "GP_PRAC_PAT_LIST",
        extract,
        practice,
        name or f"Practice {practice}",
        "ZZ1 1ZZ",
        pcn,
        pcn_name,
        "E38000999",
        sub_icb,
        f"Sub-ICB {sub_icb}",
        "E54000099",
        icb,
        f"ICB {icb}",
        "E40000099",
        region,
        f"Region {region}",
        "EMIS",
    ]


def practice_map(rows: list[list[str]], **kwargs: bool) -> bytes:
    return to_csv([MAP_HEADER, *rows], **kwargs)


def size_row(
    practice: str, patients: str = "5000", *, extract: str = "2026-04-01", sex: str = "ALL"
) -> list[str]:
    return ["GP_PRAC_PAT_LIST", extract, "GP", "99A", "E38000999", practice, "ZZ1 1ZZ", sex, "ALL", patients]


def list_sizes(rows: list[list[str]], **kwargs: bool) -> bytes:
    return to_csv([SIZES_HEADER, *rows], **kwargs)


def epraccur_row(
    code: str,
    *,
    status: str = "ACTIVE",
    setting: str = "RO76",
    opened: str = "19740401",
    closed: str = "",
    sub_icb: str = "99A",
    icb: str = "QZZ",
    region: str = "Y99",
) -> list[str]:
    row = [""] * 27
    row[0], row[1], row[2], row[3] = code, f"PRACTICE {code}", region, icb
    row[4], row[7], row[9] = "1 HIGH STREET", "TOWN", "ZZ1 1ZZ"
    row[10], row[11], row[12], row[13], row[14] = opened, closed, status, "B", sub_icb
    row[17], row[21], row[23], row[25] = "01234 567890", "1", sub_icb, setting
    return row


def epraccur(rows: list[list[str]], **kwargs: bool) -> bytes:
    return to_csv(rows, **kwargs)


def pcn_row(practice: str, pcn: str, *, start: str = "20200401", end: str = "") -> list[str]:
    return [
        practice,
        f"Practice {practice}",
        "99A",
        "Sub-ICB 99A",
        pcn,
        f"PCN {pcn}",
        "99A",
        "Sub-ICB 99A",
        start,
        end,
        "Y",
    ]
