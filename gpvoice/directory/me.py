"""Who the signed-in user is in the directory, read once per request for the home page.

Half of the home page's to-dos start from the same two facts: the user's person record (briefings,
report-backs, the roll, actions, a vote as a core member) and the organisations they currently sign
for (the ratification, ballots, consultations, plans sent for review). Each app used to find them
with its own subquery; ``me(request)`` reads them in one query, and a to-do that cannot apply to
this user (no person, or signing for no one) asks the database nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from gpvoice.core.context import per_request

from .models import Person


@dataclass(frozen=True)
class Me:
    person_id: int | None  # the user's person record (a user has at most one)
    signs_for: frozenset[int]  # organisations (practices and PCNs) of current signatory appointments
    works_at: frozenset[int]  # organisations of every current appointment


NOBODY = Me(person_id=None, signs_for=frozenset(), works_at=frozenset())


def read(*, user: Any, on: date | None = None) -> Me:
    """One query: the person and their appointments, kept when in force on ``on`` (today)."""
    if not getattr(user, "is_authenticated", False):
        return NOBODY
    on = on or timezone.localdate()
    rows = Person.objects.filter(user=user).values_list(
        "pk",
        "appointments__organisation_id",
        "appointments__is_signatory",
        "appointments__start",
        "appointments__end",
    )
    person_id = None
    signs_for: set[int] = set()
    works_at: set[int] = set()
    for pk, organisation_id, is_signatory, start, end in rows:
        person_id = pk
        if organisation_id is None or start > on or (end is not None and end < on):
            continue
        works_at.add(organisation_id)
        if is_signatory:
            signs_for.add(organisation_id)
    return Me(person_id=person_id, signs_for=frozenset(signs_for), works_at=frozenset(works_at))


def me(request: HttpRequest) -> Me:
    """``read`` for the request's user, once per request."""
    return per_request(request, "directory.me", lambda: read(user=request.user))
