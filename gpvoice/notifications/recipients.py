"""Who a notice goes to: a practice's current signatories, a ballot's core members, a group's members.

Each reader takes a subquery of ids (never a list loaded into memory), so a national footprint is
one query, and filters out whoever has turned the notice off (``without_opted_out``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from gpvoice.ballots.models import Ballot, Elector, Electorate, Participation, Vote
from gpvoice.core.models import LeadershipGroup, Membership
from gpvoice.directory.models import Person
from gpvoice.governance.selectors import current_appointments_qs

from .models import OPTIONAL, Preferences


@dataclass
class Recipient:
    """One address, with the practices it is written to about (empty when written to as itself)."""

    name: str
    address: str
    user_id: int | None
    person_id: int | None
    practices: list[tuple[int, str]] = field(default_factory=list)  # (id, name)


def _address(person: Person) -> str:
    return (person.email or (person.user.email if person.user else "")).strip().lower()


def signatories(practice_ids: QuerySet[Any] | Iterable[int]) -> list[Recipient]:
    """The current signatories of these practices, one recipient per person with an address."""
    rows = (
        current_appointments_qs()
        .filter(organisation_id__in=practice_ids, is_signatory=True)
        .select_related("person__user", "organisation")
        .order_by("person__full_name", "organisation__name")
    )
    found: dict[int, Recipient] = {}
    for appointment in rows:
        person = appointment.person
        address = _address(person)
        if not address:
            continue
        recipient = found.setdefault(
            person.pk, Recipient(person.full_name, address, person.user_id, person.pk)
        )
        practice = (appointment.organisation_id, appointment.organisation.name)
        if practice not in recipient.practices:
            recipient.practices.append(practice)
    return list(found.values())


def people(person_ids: QuerySet[Any] | Iterable[int]) -> list[Recipient]:
    rows = Person.objects.filter(pk__in=person_ids).select_related("user").order_by("full_name")
    return [Recipient(p.full_name, address, p.user_id, p.pk) for p in rows if (address := _address(p))]


def members(group: LeadershipGroup) -> list[Recipient]:
    rows = (
        Membership.objects.filter(group=group, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )
    return [
        Recipient(m.user.display_name, m.user.email.lower(), m.user_id, None) for m in rows if m.user.email
    ]


def not_voted(ballot: Ballot) -> QuerySet[Elector]:
    """The electors with no current vote (open ballots) or no participation (secret ballots)."""
    return (
        Elector.objects.filter(ballot=ballot)
        .exclude(Exists(Vote.objects.filter(elector=OuterRef("pk"), is_current=True)))
        .exclude(Exists(Participation.objects.filter(elector=OuterRef("pk"))))
    )


def electorate(ballot: Ballot, electors: QuerySet[Elector]) -> list[Recipient]:
    """Whoever casts for these electors: the practices' signatories, or the core members themselves."""
    if ballot.electorate == Electorate.PRACTICES:
        return signatories(electors.values("practice_id"))
    return people(electors.values("person_id"))


def without_opted_out(recipients: list[Recipient], kind: str) -> list[Recipient]:
    """Drop those who turned this kind off. Kinds not in OPTIONAL always go. One query."""
    preference = OPTIONAL.get(kind)  # type: ignore[call-overload]
    if preference is None:
        return recipients
    user_ids = [r.user_id for r in recipients if r.user_id is not None]
    off = set(
        Preferences.objects.filter(user_id__in=user_ids, **{preference: False}).values_list(
            "user_id", flat=True
        )
    )
    return [r for r in recipients if r.user_id not in off]
