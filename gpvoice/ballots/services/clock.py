"""The clock: opening and closing ballots on time, and counting at close."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance.selectors import core_members

from .. import results, sealing
from ..models import (
    Ballot,
    Elector,
    Electorate,
    Kind,
    Option,
    SealedChoice,
    Status,
)
from ..selectors import load_casts, rules_for
from .refusals import BallotError


def _freeze_electorate(ballot: Ballot) -> int:
    if ballot.electorate == Electorate.PRACTICES:
        practices = footprint_practices(group=ballot.group).only(
            "pk", "name", "ods_code", "list_size", "pcn_id"
        )
        electors = [
            Elector(
                ballot=ballot,
                practice_id=p.pk,
                pcn_id=p.pcn_id,
                label=f"{p.name} ({p.ods_code})",
                weight=p.list_size or 0,
            )
            for p in practices
        ]
    else:
        entries = core_members(group=ballot.group)
        electors = [
            Elector(ballot=ballot, person_id=e.person_id, label=e.person.full_name, weight=1) for e in entries
        ]
    Elector.objects.bulk_create(electors, batch_size=1000)
    return len(electors)


def advance(*, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """Open or close a ballot whose time has come. Called by the scheduled task and on every read,
    so a late worker never leaves a ballot open past its closing time."""
    now = now or timezone.now()
    due_open = ballot.status == Status.SCHEDULED and ballot.opens_at and ballot.opens_at <= now
    due_close = (
        ballot.status in (Status.SCHEDULED, Status.OPEN) and ballot.closes_at and ballot.closes_at <= now
    )
    if not (due_open or due_close):
        return ballot
    with transaction.atomic():
        ballot = lock_row(Ballot.objects.select_related("group"), pk=ballot.pk)
        if ballot.status == Status.SCHEDULED and ballot.opens_at and ballot.opens_at <= now:
            count = _freeze_electorate(ballot)
            Ballot.objects.filter(pk=ballot.pk, status=Status.SCHEDULED).update(
                status=Status.OPEN, opened_at=now
            )
            audit.record(
                action="ballots.ballot.opened", group=ballot.group, obj=ballot, data={"electors": count}
            )
            ballot.refresh_from_db()
        if ballot.status == Status.OPEN and ballot.closes_at and ballot.closes_at <= now:
            try:
                _close(ballot, now)
            except sealing.SealError as error:  # nothing is written: the transaction rolls back
                raise BallotError(f"Ballot {ballot.pk} “{ballot.title}” cannot be closed: {error}") from error
            ballot.refresh_from_db()
    return ballot


def _close(ballot: Ballot, now: datetime) -> None:
    if ballot.is_secret:
        _empty_the_seals(ballot)
    result = compute_result(ballot=ballot)
    publish = ballot.publish_on_close
    Ballot.objects.filter(pk=ballot.pk, status=Status.OPEN).update(
        status=Status.PUBLISHED if publish else Status.CLOSED,
        closed_at=now,
        published_at=now if publish else None,
        result=result,
    )
    audit.record(
        action="ballots.ballot.closed",
        group=ballot.group,
        obj=ballot,
        data={
            "turnout": result["turnout"]["count"],
            "outcome": result["outcome"]["text"],
            "published": publish,
        },
    )


def _empty_the_seals(ballot: Ballot) -> None:
    """At close, erase the seals and rewrite the box in random order, so not even the order rows
    were stored in can line choices up with the order practices voted in."""
    rows = list(
        SealedChoice.objects.filter(ballot=ballot).values("receipt_digest", "content", "sealed_weight")
    )
    random.SystemRandom().shuffle(rows)
    SealedChoice.objects.filter(ballot=ballot).delete()
    SealedChoice.objects.bulk_create(
        (SealedChoice(ballot=ballot, seal=None, **row) for row in rows), batch_size=1000
    )


def compute_result(*, ballot: Ballot) -> dict[str, Any]:
    weights = list(Elector.objects.filter(ballot=ballot).values_list("weight", flat=True))
    options = [
        (str(pk), label) for pk, label in Option.objects.filter(ballot=ballot).values_list("pk", "label")
    ]
    return results.compute(
        rules=rules_for(ballot),
        options=options,
        electorate_count=len(weights),
        electorate_patients=sum(weights),
        casts=load_casts(ballot=ballot),
        electorate_weights=weights,
    )


def advance_due(*, now: datetime | None = None, refusals: list[str] | None = None) -> list[Ballot]:
    """The scheduled task: every ballot due to open or close. Returns those it moved; a ballot
    that cannot move (a seal no key opens) is left as it was, its reason added to ``refusals``,
    and the others still move."""
    now = now or timezone.now()
    due = Ballot.objects.filter(kind=Kind.BALLOT, status__in=[Status.SCHEDULED, Status.OPEN]).filter(
        opens_at__lte=now
    )
    moved = []
    for ballot in due:
        before = ballot.status
        try:
            after = advance(ballot=ballot, now=now)
        except BallotError as refusal:
            if refusals is not None:
                refusals.append(str(refusal))
            continue
        if after.status != before:
            moved.append(after)
    return moved


def advance_due_in(*, group: Any, now: datetime | None = None) -> list[Ballot]:
    """Bring one group's ballots up to time before a page shows their state, as the vote page does:
    a worker that is late never leaves the list or the home page saying "Scheduled" after the
    opening time. One query when nothing is due; a ballot that cannot move is left to the worker,
    which reports why."""
    now = now or timezone.now()
    due = Ballot.objects.filter(group=group, kind=Kind.BALLOT).filter(
        Q(status=Status.SCHEDULED, opens_at__lte=now)
        | Q(status__in=[Status.SCHEDULED, Status.OPEN], closes_at__lte=now)
    )
    moved = []
    for ballot in due:
        try:
            moved.append(advance(ballot=ballot, now=now))
        except BallotError:
            continue
    return moved
