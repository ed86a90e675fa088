"""The check made before someone is appointed to a seat: what they hold or have declared at the
forum's organiser, and whether they hold a system role (the roll's own eligibility rule,
``governance.selectors.eligibility_of``, reused rather than copied)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from gpvoice.directory.models import Declaration, Organisation, OrgType, Person
from gpvoice.governance.selectors import current_appointments_qs, eligibility_of

from .models import Forum


@dataclass(frozen=True)
class Check:
    findings: list[str] = field(default_factory=list)
    system_role: bool = False


def _at_organiser(organiser: Organisation, prefix: str = "organisation") -> Q:
    """The organiser itself, or a body within it (a sub-ICB location of an ICB, say); practices and
    PCNs sit within an ICB too, but working in one is what general practice's seat is for."""
    within = Q(**{f"{prefix}__icb": organiser}) | Q(**{f"{prefix}__sub_icb": organiser})
    general_practice = Q(**{f"{prefix}__org_type__in": [OrgType.PRACTICE, OrgType.PCN]})
    return Q(**{prefix: organiser}) | (within & ~general_practice)


def _where(organisation: Organisation, organiser: Organisation) -> str:
    if organisation.pk == organiser.pk:
        return f"{organiser.name}, which runs the forum"
    return f"{organisation.name}, part of {organiser.name}, which runs the forum"


def check(*, person: Person, forum: Forum) -> Check:
    organiser = forum.organiser
    today = timezone.localdate()
    findings: list[str] = []
    held = (
        current_appointments_qs()
        .filter(_at_organiser(organiser), person=person)
        .select_related("organisation")
    )
    for appointment in held[:5]:
        findings.append(
            f"{person.full_name} holds an appointment ({appointment.get_role_display()}) at "
            f"{_where(appointment.organisation, organiser)}."
        )
    declared = (
        Declaration.objects.filter(_at_organiser(organiser), person=person, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("organisation")
    )
    for declaration in declared[:5]:
        where = _where(declaration.organisation, organiser) if declaration.organisation else organiser.name
        findings.append(f"{person.full_name} has declared an interest in {where}: {declaration.nature}.")
    eligibility = eligibility_of(person=person, group=forum.group)
    # decide() names a deciding appointment while refusing only for a system role.
    system_role = eligibility.deciding is not None and not eligibility.may_be_core
    if system_role:
        findings.append(f"{eligibility.reason}")
    return Check(findings=findings, system_role=system_role)
