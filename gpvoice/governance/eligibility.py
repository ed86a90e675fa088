"""Who may be a core member: one readable rule over a person's current appointments.

A person qualifies through an appointment that acts on behalf of practices. A person who holds a
system role is conflicted: they may attend, never be core, whatever else they hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gpvoice.directory.models import Appointment, RoleType

ACTS_FOR_PRACTICES = frozenset(
    {
        RoleType.PRACTICE_PARTNER,
        RoleType.PCN_CLINICAL_DIRECTOR,
        RoleType.LMC_CHAIR,
        RoleType.LMC_SECRETARY,
        RoleType.LMC_MEMBER,
        RoleType.FEDERATION_LEAD,
    }
)
SYSTEM_ROLES = frozenset({RoleType.SYSTEM_CLINICAL_LEAD, RoleType.ICB_EMPLOYEE, RoleType.TRUST_EMPLOYEE})


@dataclass(frozen=True)
class Eligibility:
    may_be_core: bool
    reason: str
    deciding: Appointment | None = None


def _describe(appointment: Appointment) -> str:
    return f"{appointment.get_role_display()}, {appointment.organisation.name}"


def decide(appointments: Iterable[Appointment], *, extra_roles: Iterable[str] = ()) -> Eligibility:
    """Decide from the person's *current* appointments (the caller filters by date)."""
    current = list(appointments)
    qualifying = ACTS_FOR_PRACTICES | set(extra_roles)
    system = [a for a in current if a.role in SYSTEM_ROLES]
    if system:
        return Eligibility(
            False,
            f"Holds a system role ({_describe(system[0])}), so is conflicted: "
            "may attend but not be a core member.",
            system[0],
        )
    acting = [a for a in current if a.role in qualifying]
    if acting:
        return Eligibility(True, f"Acts for practices as {_describe(acting[0])}.", acting[0])
    if current:
        held = "; ".join(_describe(a) for a in current)
        return Eligibility(False, f"No current appointment acts for practices (holds: {held}).")
    return Eligibility(False, "Has no current appointment in the directory.")
