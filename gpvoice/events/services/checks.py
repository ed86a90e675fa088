"""What every events service shares: its refusal, the session lock, who may book."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from gpvoice.core import agenda as registry
from gpvoice.core import rules, text
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup, Membership
from gpvoice.core.selectors import membership_in
from gpvoice.directory.models import Appointment, FootprintPractice, RoleType

from ..models import Audience, Session

PCN_LEADER_ROLES = (RoleType.PCN_CLINICAL_DIRECTOR, RoleType.PCN_MANAGER)


class EventError(Exception):
    """A refusal with a message fit to show the person who asked."""


def lock_session(session: Session | int) -> Session:
    # The session row serialises every write to its places: a booking, a cancellation, a promotion
    # and the kept ``booked`` count happen one at a time, so places are counted once and never
    # overbooked (as pretix locks a quota). Taken once, late, after the checks that need no lock.
    pk = session if isinstance(session, int) else session.pk
    return lock_row(Session.objects.select_related("group"), pk=pk)


def require_officer(group: LeadershipGroup, actor: Any) -> Membership | None:
    return rules.require_officer(
        group,
        actor,
        message=f"Only the officers of {group.name} (its admins and executive) can manage its sessions.",
        refuse=EventError,
    )


def is_officer(group: LeadershipGroup, actor: Any) -> bool:
    if rules.is_system(actor):
        return True
    return rules.is_officer(membership_in(user=actor, group=group))


def clean_text(value: Any, *, name: str, limit: int, required: bool = True) -> str:
    return text.clean_text(value, name=name, limit=limit, required=required, refuse=EventError)


def _current(on: date) -> Q:
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


def audience_refusal(session: Session, user: Any, *, via_link: bool = False) -> str:
    """Why ``user`` may not book ``session`` ("" when they may). Officers of the group always may."""
    group = session.group
    if not getattr(user, "is_authenticated", False):
        return "Sign in to book a place."
    if session.audience == Audience.LINK and via_link:
        return ""
    membership = membership_in(user=user, group=group)
    if rules.is_officer(membership):
        return ""
    person = getattr(user, "person", None)
    today = date.today()
    if session.audience == Audience.LINK:
        return "" if membership is not None else "Open the session from the link you were sent."
    if session.audience == Audience.ROLL:
        on_roll = person is not None and person.pk in {pk for pk, _ in registry.roll(group)}
        return "" if on_roll else f"This session is for the people on the roll of {group.name}."
    footprint = FootprintPractice.objects.filter(group=group)
    if session.audience == Audience.PCN_LEADERS:
        allowed = (
            person is not None
            and Appointment.objects.filter(
                _current(today),
                person=person,
                role__in=PCN_LEADER_ROLES,
                organisation_id__in=footprint.values("practice__pcn_id"),
            ).exists()
        )
        return "" if allowed else "This session is for the clinical directors and managers of the PCNs."
    allowed = (
        person is not None
        and Appointment.objects.filter(
            _current(today), person=person, organisation_id__in=footprint.values("practice_id")
        ).exists()
    )
    return "" if allowed else f"This session is for people working at the practices of {group.name}."
