"""What governance pages may offer the person looking: decisions made here, never in templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gpvoice.core import rules


@dataclass(frozen=True)
class Can:
    """``can_…`` flags for templates, from the same rules the services apply (core.rules)."""

    change_roll: bool
    change_terms: bool
    change_delegation: bool
    note_decisions: bool
    change_settings: bool
    extend_round: bool


def can(membership: Any) -> Can:
    admin = rules.is_admin(membership)
    return Can(
        change_roll=admin,
        change_terms=admin,
        change_delegation=admin,
        note_decisions=admin,
        change_settings=admin,
        extend_round=admin,
    )
