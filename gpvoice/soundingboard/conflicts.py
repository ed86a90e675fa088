"""Conflicts between a would-be reviewer and the organisation whose plan they would review.

Reuses the group's own conflict rules rather than copying them: governance's eligibility rule (a
person holding a system role is conflicted, with its reason text) and governance's reading of who
holds what now (``current_appointments_qs``); declarations of interest are the directory's, read
as meetings reads them beside an agenda item (current on the day, naming the organisation).

An organisation's circle is itself, its PCN (for a practice) and its practices (for a PCN): a
partner of a practice in the PCN whose plan it is has an interest in that plan too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gpvoice.directory.models import Declaration, Organisation, OrgType, Person
from gpvoice.governance.eligibility import SYSTEM_ROLES, decide
from gpvoice.governance.selectors import current_appointments_qs


@dataclass(frozen=True)
class Found:
    """What the check found: ``refusal`` bars the assignment outright; ``conflicts`` need a reason."""

    conflicts: list[str]
    refusal: str = ""


def circle(organisation: Organisation) -> list[int]:
    ids = {organisation.pk}
    if organisation.org_type == OrgType.PRACTICE and organisation.pcn_id:
        ids.add(organisation.pcn_id)
    if organisation.org_type == OrgType.PCN:
        ids |= set(Organisation.objects.filter(pcn=organisation).values_list("pk", flat=True))
    return sorted(ids)


def check(*, reviewer: Any, organisation: Organisation) -> Found:
    """Three queries: the person's current appointments, their current declarations, the circle."""
    person = Person.objects.filter(user=reviewer).first()
    if person is None:
        return Found(["Not in the directory, so their appointments and declarations could not be checked."])
    ids = circle(organisation)
    appointments = list(current_appointments_qs().filter(person=person).select_related("organisation"))
    if any(a.is_signatory and a.organisation_id == organisation.pk for a in appointments):
        return Found(
            [], refusal=f"{person.full_name} signs for {organisation.name}: they cannot review its plan."
        )
    found = [
        f"Holds an appointment at {a.organisation.name} ({a.get_role_display()})."
        for a in appointments
        if a.organisation_id in ids
    ]
    system = decide(appointments).deciding  # governance's rule: a system role conflicts
    if system is not None and system.role in SYSTEM_ROLES:
        role = f"{system.get_role_display()}, {system.organisation.name}"
        found.append(f"Holds a system role ({role}), so is conflicted.")
    today = timezone.localdate()
    declared = (
        Declaration.objects.filter(person=person, organisation_id__in=ids, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("organisation")
    )
    found += [
        f"Declared an interest in {d.organisation.name}: {d.nature}." for d in declared if d.organisation
    ]
    return Found(found)
