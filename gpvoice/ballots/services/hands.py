"""A vote taken in the room, recorded by the chair."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Person

from ..models import (
    Ballot,
    Electorate,
    Kind,
    Method,
    Option,
    Status,
)
from .refusals import BallotError


@transaction.atomic
def show_of_hands_record(
    *,
    group: LeadershipGroup,
    title: str,
    question: str,
    meeting: str,
    held_on: date,
    hands: Sequence[tuple[str, int]],
    present: Sequence[Person],
    actor: Any,
) -> Ballot:
    """A vote taken in the room, recorded by the chair: counts per option and who was there."""
    labels = [label.strip() for label, _ in hands]
    problems = []
    if not title.strip() or not question.strip() or not meeting.strip():
        problems.append("Give a title, the question put, and the meeting.")
    if len(labels) < 2 or len(set(labels)) != len(labels) or not all(labels):
        problems.append("Give at least two options, each with its own label.")
    if any(count < 0 for _, count in hands):
        problems.append("Counts cannot be negative.")
    if held_on > timezone.localdate():
        problems.append("The meeting date cannot be in the future.")
    if not present:
        problems.append("Say who was present.")
    elif sum(count for _, count in hands) > len(present):
        problems.append(f"More hands ({sum(c for _, c in hands)}) than people present ({len(present)}).")
    if problems:
        raise BallotError(" ".join(problems))
    now = timezone.now()
    ballot = Ballot.objects.create(
        group=group,
        kind=Kind.RECORDED,
        title=title.strip(),
        question=question.strip(),
        method=Method.SINGLE,
        electorate=Electorate.CORE,
        meeting=meeting.strip(),
        held_on=held_on,
        status=Status.PUBLISHED,
        closed_at=now,
        published_at=now,
        created_by=actor,
    )
    Option.objects.bulk_create(
        Option(ballot=ballot, position=i, label=label, hands=count) for i, (label, count) in enumerate(hands)
    )
    ballot.present.set(present)
    audit.record(
        action="ballots.hands.recorded",
        actor=actor,
        group=group,
        obj=ballot,
        data={"meeting": ballot.meeting, "hands": dict(hands), "present": len(present)},
    )
    return ballot
