"""Parsing the values NHS files hold: ODS codes, dates in their several formats, counts."""

from __future__ import annotations

from datetime import date, datetime

from .. import ods
from ..models import OrgStatus, OrgType

DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%d-%b-%y", "%d%b%Y", "%d-%b-%Y", "%d/%m/%Y")
TYPE_NAMES: dict[str, str] = {
    OrgType.PRACTICE: "practice code",
    OrgType.PCN: "PCN code",
    OrgType.ICB: "ICB code",
    OrgType.SUB_ICB: "sub-ICB location code",
    OrgType.REGION: "region code",
}


class BadValue(ValueError):
    pass


def code(value: str, org_type: str, column: str) -> str:
    value = value.strip().upper()
    if not ods.is_valid(org_type, value):
        shown = repr(value[:20]) if value else "empty"
        raise BadValue(f"{column} is {shown}; a {TYPE_NAMES[org_type]} is {ods.describe(org_type)}.")
    return value


def optional_code(value: str, org_type: str, column: str) -> str | None:
    return code(value, org_type, column) if value.strip() else None


def parse_date(value: str, column: str) -> date:
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - calendar dates, no time
        except ValueError:
            continue
    raise BadValue(f"{column} {value[:20]!r} is not a real date (expected e.g. 20260401 or 01-Apr-26).")


def optional_date(value: str, column: str) -> date | None:
    return parse_date(value, column) if value.strip() else None


def count(value: str, column: str) -> int:
    try:
        number = int(value.strip().replace(",", ""))
    except ValueError:
        raise BadValue(f"{column} {value[:20]!r} is not a whole number.") from None
    if number < 0:
        raise BadValue(f"{column} is {number}; it cannot be negative.")
    return number


def text(value: str, column: str, max_length: int = 255) -> str:
    value = " ".join(value.split())
    if not value:
        raise BadValue(f"{column} is empty.")
    if len(value) > max_length:
        raise BadValue(f"{column} is longer than {max_length} characters.")
    return value


STATUSES = {
    "ACTIVE": OrgStatus.ACTIVE,
    "A": OrgStatus.ACTIVE,
    "INACTIVE": OrgStatus.CLOSED,
    "C": OrgStatus.CLOSED,
    "CLOSED": OrgStatus.CLOSED,
    "DORMANT": OrgStatus.DORMANT,
    "D": OrgStatus.DORMANT,
    "PROPOSED": OrgStatus.PROPOSED,
    "P": OrgStatus.PROPOSED,
}


def status(value: str, column: str) -> str:
    try:
        return STATUSES[value.strip().upper()]
    except KeyError:
        raise BadValue(
            f"{column} {value[:20]!r} is not a known status (ACTIVE, INACTIVE, DORMANT, A, C, D, P)."
        ) from None
