"""The PCN column's special value: a bare ``U`` ("Unallocated") means the practice has no PCN."""

from __future__ import annotations

from .. import ods
from ..models import OrgType
from . import fields as f
from .engine import Key


def pcn_link(value: str, column: str) -> Key | None:
    value = value.strip().upper()
    if value == ods.UNALLOCATED_PCN:
        return None
    return (OrgType.PCN, f.code(value, OrgType.PCN, column))
