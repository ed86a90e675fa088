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
from gpvoice.governance.selectors import people_on_roll

from ..models import (
    Ballot,
    Electorate,
    Kind,
    Method,
    Option,
    Status,
)
from .drafting import LABEL_MAX, TEXT_MAX, TITLE_MAX, text_problem
from .refusals import BallotError, require_officer


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
    # A new record has no row to lock yet: the check needs only the actor's membership.
    require_officer(group, actor)
    labels = [label.strip() if isinstance(label, str) else "" for label, _ in hands]
    problems = []
    texts = (
        (title, "The title", TITLE_MAX),
        (question, "The question", TEXT_MAX),
        (meeting, "The meeting", TITLE_MAX),
    )
    if not all(isinstance(text, str) and text.strip() for text, _, _ in texts):
        problems.append("Give a title, the question put, and the meeting.")
    problems += [p for p in (text_problem(t, name=n, limit=m) for t, n, m in texts) if p]
    problems += [
        p for p in (text_problem(label, name="An option", limit=LABEL_MAX) for label in labels) if p
    ][:1]
    if any(type(count) is not int for _, count in hands):
        problems.append("Give each count of hands as a whole number.")
        hands = [(label, 0) for label, _ in hands]
    on_roll = set(people_on_roll(group=group).values_list("pk", flat=True))
    if any(not isinstance(person, Person) or person.pk not in on_roll for person in present):
        problems.append("Everyone present must be on the group's roll.")
    if len(labels) < 2 or len(set(labels)) != len(labels) or not all(labels):
        problems.append("Give at least two options, each with its own label.")
    if any(count < 0 for _, count in hands):
        problems.append("Counts cannot be negative.")
    if not isinstance(held_on, date):
        problems.append("Give the date of the meeting.")
    elif held_on > timezone.localdate():
        problems.append("The meeting date cannot be in the future.")
    if not present:
        problems.append("Say who was present.")
    elif sum(count for _, count in hands) > len(present):
        problems.append(f"More hands ({sum(c for _, c in hands)}) than people present ({len(present)}).")
    if problems:
        raise BallotError.of(list(dict.fromkeys(problems)))
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
