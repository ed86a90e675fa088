"""Checks every priority-setting service shares: membership, officers, text, numbers, the round lock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser

from gpvoice.core import rules, text
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup, Membership

from ..models import (
    Phase,
    PriorityRound,
)

NOMINATIONS_PER_PERSON = 20
REVIEW_WITHIN = timedelta(days=5 * 366)


class PriorityError(Exception):
    """A refusal with a message fit to show the person who asked."""


# Checks --------------------------------------------------------------------------------------


def require_member(group: LeadershipGroup, user: Any) -> Membership:
    # Priority setting is done by people: the system actor (None) is refused here too.
    message = f"Only members of {group.name} can take part in its priority setting."
    membership = rules.require_member(group, user or AnonymousUser(), message=message, refuse=PriorityError)
    if membership is None:  # never for a person: they have a membership or were refused
        raise PriorityError(message)
    return membership


def require_officer(group: LeadershipGroup, user: Any) -> Membership:
    message = f"Only the officers of {group.name} (its admins and executive) can do this."
    membership = rules.require_officer(group, user or AnonymousUser(), message=message, refuse=PriorityError)
    if membership is None:  # never for a person: they have a membership or were refused
        raise PriorityError(message)
    return membership


def clean_text(value: Any, *, name: str, enter: str, limit: int, required: bool = True) -> str:
    """Text fit to store (core.text), refused as a PriorityError."""
    return text.clean_text(
        value, name=name, limit=limit, required=required, refuse=PriorityError, enter=enter
    )


def whole_number(value: Any, *, low: int, high: int, message: str) -> int:
    if type(value) is not int or not low <= value <= high:
        raise PriorityError(message)
    return value


def phase_label(round: PriorityRound) -> str:
    return Phase(round.phase).label.lower()


def lock_round(round: PriorityRound) -> PriorityRound:
    # One writer per round at a time: phase, nominations, candidates and adoptions all hang off it.
    return lock_row(PriorityRound.objects.select_related("group", "scoring_ballot"), pk=round.pk)
