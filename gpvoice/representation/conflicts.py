"""The check made before someone is appointed to a seat: what they hold or have declared at the
forum's organiser, and whether they hold a system role (the roll's own eligibility rule,
``governance.selectors.eligibility_of``, reused rather than copied)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from gpvoice.directory.models import Declaration, Person
from gpvoice.governance.selectors import current_appointments_qs, eligibility_of

from .models import Forum


@dataclass(frozen=True)
class Check:
    findings: list[str] = field(default_factory=list)
    system_role: bool = False


def check(*, person: Person, forum: Forum) -> Check:
    organiser = forum.organiser
    today = timezone.localdate()
    findings: list[str] = []
    held = current_appointments_qs().filter(person=person, organisation=organiser)
    for appointment in held[:5]:
        findings.append(
            f"{person.full_name} holds an appointment at {organiser.name} "
            f"({appointment.get_role_display()}), which runs the forum."
        )
    declared = Declaration.objects.filter(person=person, organisation=organiser, start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    for declaration in declared[:5]:
        findings.append(
            f"{person.full_name} has declared an interest in {organiser.name}: {declaration.nature}."
        )
    eligibility = eligibility_of(person=person, group=forum.group)
    # decide() names a deciding appointment while refusing only for a system role.
    system_role = eligibility.deciding is not None and not eligibility.may_be_core
    if system_role:
        findings.append(f"{eligibility.reason}")
    return Check(findings=findings, system_role=system_role)
