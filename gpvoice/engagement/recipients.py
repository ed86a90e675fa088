"""Who engagement writes to: current appointments at the footprint's practices, by role."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gpvoice.directory.models import Appointment


def current_appointments() -> QuerySet[Appointment]:
    today = timezone.localdate()
    return Appointment.objects.filter(start__lte=today).filter(Q(end__isnull=True) | Q(end__gte=today))


def _address(appointment: Appointment) -> str:
    person = appointment.person
    return (person.email or (person.user.email if person.user else "")).strip().lower()


def signatory_addresses(practice_ids: Iterable[int] | QuerySet[Any]) -> list[tuple[str, str]]:
    """(address, name) of the current signatories of these practices, each address once."""
    rows = (
        current_appointments()
        .filter(organisation_id__in=practice_ids, is_signatory=True)
        .select_related("person__user")
        .order_by("person__full_name", "pk")
    )
    found: dict[str, str] = {}
    for appointment in rows:
        if address := _address(appointment):
            found.setdefault(address, appointment.person.full_name)
    return list(found.items())
