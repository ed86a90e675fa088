"""What governance pages may offer the person looking: decisions made here, never in templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gpvoice.core import rules
from gpvoice.core.formats import day


@dataclass(frozen=True)
class Can:
    """``can_…`` flags for templates, from the same rules the services apply (core.rules)."""

    change_roll: bool
    change_terms: bool
    change_delegation: bool
    note_decisions: bool
    record_decisions: bool
    change_settings: bool
    extend_round: bool


def can(membership: Any) -> Can:
    admin = rules.is_admin(membership)
    return Can(
        change_roll=admin,
        change_terms=admin,
        change_delegation=admin,
        note_decisions=admin,
        record_decisions=rules.is_officer(membership),
        change_settings=admin,
        extend_round=admin,
    )


def decision_status(decision: Any) -> tuple[str, str]:
    """A decision's status in words, with the NHS.UK tag colour: for noting, noted, or referred."""
    if decision.status == "referred":
        return "Referred to the group", "nhsuk-tag--orange"
    if decision.noted_at is not None:
        return f"Noted {day(decision.noted_at)}", "nhsuk-tag--green"
    return "For noting", "nhsuk-tag--blue"


def decision_row(decision: Any) -> dict[str, Any]:
    """One executive decision as every member sees it."""
    status, colour = decision_status(decision)
    return {
        "pk": decision.pk,
        "title": decision.title,
        "rationale": decision.rationale,
        "category": decision.category.name,
        "authority": decision.category.get_authority_display(),
        "amount": decision.amount_text or "None",
        "status": status,
        "colour": colour,
        "reason": decision.refusal_reason,
        "decided": f"{day(decision.decided_at)}, {decision.decided_by.display_name}",
        "for_noting": decision.for_noting,
    }
