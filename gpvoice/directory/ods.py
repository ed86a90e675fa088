"""ODS code formats per organisation type, as NHS England publishes them in 2026.

The real national files are the arbiter: every row of them must pass these patterns.
"""

from __future__ import annotations

import re

from .models import OrgType

PATTERNS: dict[str, re.Pattern[str]] = {
    OrgType.PRACTICE: re.compile(r"^[A-Z]\d{5}$"),
    # U and 5 digits; or UQ and 4 digits, the reserved synthetic form (see SYNTHETIC below).
    OrgType.PCN: re.compile(r"^U(\d{5}|Q\d{4})$"),
    # Q + 2 alphanumerics, or 5 alphanumerics for the ICBs formed by the 2026 mergers.
    OrgType.ICB: re.compile(r"^(Q[A-Z0-9]{2}|[A-Z0-9]{5})$"),
    OrgType.SUB_ICB: re.compile(r"^([A-Z0-9]{3}|[A-Z0-9]{5})$"),
    # Y and 2 digits; or YQ and a digit, the reserved synthetic form.
    OrgType.REGION: re.compile(r"^Y(\d{2}|Q\d)$"),
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


# Synthetic codes (demo and scale data) -----------------------------------------------------------
#
# Forms NHS ODS does not issue for the type, so a synthetic organisation can never be mistaken for,
# rename, close or gather people at a real one when both are in the same database:
# - GP practices: Q and 5 digits. Real practice codes start with a region letter (A–P, W or Y in
#   the April 2026 files; none of the 15,493 epraccur rows starts with Q); Q codes are
#   commissioners' and 3 characters long.
# - PCNs: UQ and 4 digits (real: U and 5 digits). Regions: YQ and a digit (real: Y and 2 digits).
# - Sub-ICB locations and ICBs: Q and 4 digits (real: 3 characters, or 5 alternating letters
#   and digits such as D7T5G).
# The demo takes the 9 block of each (Q9…., UQ9…, Q99.., YQ9); load-scale takes the rest.
SYNTHETIC: dict[str, re.Pattern[str]] = {
    OrgType.PRACTICE: re.compile(r"^Q\d{5}$"),
    OrgType.PCN: re.compile(r"^UQ\d{4}$"),
    OrgType.SUB_ICB: re.compile(r"^Q\d{4}$"),
    OrgType.ICB: re.compile(r"^Q\d{4}$"),
    OrgType.REGION: re.compile(r"^YQ\d$"),
}


def is_synthetic(org_type: str, code: str) -> bool:
    pattern = SYNTHETIC.get(org_type)
    return bool(pattern and pattern.match(code))
