"""Reads for a person's own account: their groups, appointments and declarations."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from gpvoice.core.models import Membership
from gpvoice.directory.models import Appointment, Declaration, Person


def group_names_for_email(*, email: str) -> list[str]:
    """The groups the holder of this address belongs to, for the emails sent to them."""
    if not isinstance(email, str) or not email:
        return []
    names = Membership.objects.filter(user__email__iexact=email).order_by("group__name")
    return list(names.values_list("group__name", flat=True)[:5])


def own_person(*, user: Any) -> Person | None:
    """The directory record linked to this account, if an admin or an appointment linked one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def own_memberships(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("group").order_by("group__name")


def own_appointments(*, person: Person) -> QuerySet[Appointment]:
    """Current appointments first, then ended ones, newest first (a person holds a handful)."""
    return (
        Appointment.objects.filter(person=person)
        .select_related("organisation")
        .order_by(F("end").asc(nulls_first=True), "-start")
    )


def own_declarations(*, person: Person) -> QuerySet[Declaration]:
    today = timezone.localdate()
    return (
        Declaration.objects.filter(person=person)
        .filter(Q(end__isnull=True) | Q(end__gt=today))
        .select_related("organisation")
        .order_by("-declared_on", "-pk")
    )


def own_declaration(*, person: Person | None, pk: object) -> Declaration | None:
    """One of the person's own open declarations, from a posted id; anything else finds none."""
    text = str(pk)
    if person is None or not (text.isascii() and text.isdigit()):
        return None
    return own_declarations(person=person).filter(pk=int(text)).first()
