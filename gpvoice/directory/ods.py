"""ODS code formats per organisation type, as NHS England publishes them in 2026.

The real national files are the arbiter: every row of them must pass these patterns.
"""

from __future__ import annotations

import re

from .models import OrgType

PATTERNS: dict[str, re.Pattern[str]] = {
    OrgType.PRACTICE: re.compile(r"^[A-Z]\d{5}$"),
    OrgType.PCN: re.compile(r"^U\d{5}$"),
    # Q + 2 alphanumerics, or 5 alphanumerics for the ICBs formed by the 2026 mergers.
    OrgType.ICB: re.compile(r"^(Q[A-Z0-9]{2}|[A-Z0-9]{5})$"),
    OrgType.SUB_ICB: re.compile(r"^([A-Z0-9]{3}|[A-Z0-9]{5})$"),
    OrgType.REGION: re.compile(r"^Y\d{2}$"),
}
GENERIC = re.compile(r"^[A-Z0-9]{2,12}$")
UNALLOCATED_PCN = "U"

DESCRIPTIONS: dict[str, str] = {
    OrgType.PRACTICE: "a letter and 5 digits, like A81001",
    OrgType.PCN: "U and 5 digits, like U12345",
    OrgType.ICB: "Q and 2 letters or digits, like QHM, or 5 letters or digits",
    OrgType.SUB_ICB: "3 or 5 letters or digits, like 16C",
    OrgType.REGION: "Y and 2 digits, like Y63",
}


def is_valid(org_type: str, code: str) -> bool:
    return bool(PATTERNS.get(org_type, GENERIC).match(code))


def describe(org_type: str) -> str:
    return DESCRIPTIONS.get(org_type, "2 to 12 capital letters or digits")
