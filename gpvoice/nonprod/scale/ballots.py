"""Ballots for load-scale: written in bulk (ballots, options, frozen electorates, casts and the
audit entries the services write for each), then closed through the service (``advance``), so
every closed ballot's stored result is the one the service counts from the stored casts.

A "choice" is one stored cast: a ``Vote`` in an open ballot, a ``SealedChoice`` in a secret one.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from gpvoice.ballots import contents, sealing
from gpvoice.ballots.models import (
    Ballot,
    Elector,
    Electorate,
    Kind,
    Method,
    Option,
    Participation,
    SealedChoice,
    Status,
    Vote,
    Weighting,
)
from gpvoice.ballots.services import YES_NO_OPTIONS, advance
from gpvoice.core import audit
from gpvoice.core.bulk import Table
from gpvoice.core.scale import Part, ScaleContext

ELECTORS = Table(Elector, ("id", "ballot_id", "practice_id", "pcn_id", "person_id", "label", "weight"))
VOTES = Table(Vote, ("id", "ballot_id", "elector_id", "content", "is_current", "cast_by_id", "cast_at"))
SEALED = Table(SealedChoice, ("id", "ballot_id", "seal", "receipt_digest", "content", "sealed_weight"))
PARTICIPATIONS = Table(Participation, ("id", "ballot_id", "elector_id", "cast_by_id", "casts"))
METHODS = (
    Method.YES_NO,
    Method.SINGLE,
    Method.YES_NO,
    Method.APPROVAL,
    Method.SCHULZE,
    Method.YES_NO,
    Method.IRV,
    Method.POINTS,
)
WEIGHTINGS = (Weighting.EQUAL, Weighting.LIST_SIZE, Weighting.DOUBLE)
TURNOUT = 0.8  # the share of electors voting that the plan aims for before adding ballots to big groups
POINTS = 100


class _Elector(NamedTuple):
    pk: int
    label: str
    weight: int


def plan_ballots(capacity: Sequence[int], ballots: int, choices: int) -> list[int]:
    """How many ballots each group runs: spread evenly, then moved one at a time from the
    smallest groups to the largest until the electorates can hold ``choices`` at ``TURNOUT``
    (at national volume most casts are then in the national group's ballots)."""
    n = len(capacity)
    counts = [ballots // n + (1 if i < ballots % n else 0) for i in range(n)]
    if not n or not ballots:
        return counts
    big = max(range(n), key=lambda i: capacity[i])
    room = sum(c * k for c, k in zip(capacity, counts, strict=True))
    donors = sorted((i for i in range(n) if i != big), key=lambda i: capacity[i])
    floor = 1 if ballots >= n else 0
    for i in donors:
        while room * TURNOUT < choices and counts[i] > floor:
            counts[i] -= 1
            counts[big] += 1
            room += capacity[big] - capacity[i]
    return counts


def split(total: int, caps: Sequence[int]) -> list[int]:
    """``total`` shared out in proportion to ``caps``, none above its cap (largest remainders)."""
    room = sum(caps)
    if room <= total:
        return list(caps)
    shares = [c * total / room for c in caps]
    out = [int(s) for s in shares]
    order = sorted(range(len(caps)), key=lambda i: shares[i] - out[i], reverse=True)
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _content(rng: random.Random, method: str, options: list[str]) -> dict[str, Any]:
    if rng.random() < 0.05:
        return {"abstain": True}
    if method in (Method.YES_NO, Method.SINGLE):
        return {"choice": rng.choice(options)}
    if method == Method.APPROVAL:
        return {"approved": rng.sample(options, rng.randint(1, len(options)))}
    if method in (Method.SCHULZE, Method.IRV):
        return {"ranking": rng.sample(options, rng.randint(1, len(options)))}
    first, second = rng.sample(options, 2)
    given = rng.randint(1, POINTS)
    return {"points": {first: given, second: POINTS - given}}  # a zero is dropped when normalised


def load_ballots(ctx: ScaleContext) -> Part:
    started = timezone.now()
    rng = random.Random(ctx.seed)
    voters = {g.pk: [p for p in ctx.footprints[g.pk] if ctx.signatories.get(p.pk)] for g in ctx.groups}
    counts = plan_ballots([len(voters[g.pk]) for g in ctx.groups], ctx.sizes["ballots"], ctx.sizes["choices"])
    runs = [g for g, k in zip(ctx.groups, counts, strict=True) for _ in range(k)]
    casts = split(ctx.sizes["choices"], [len(voters[g.pk]) for g in runs])
    made = {
        "ballots": 0,
        "secret ballots": 0,
        "still open": 0,
        "electors": 0,
        "choices": 0,
        "audit entries": 0,
    }
    closing: list[Ballot] = []
    for i, (group, n) in enumerate(zip(runs, casts, strict=True)):
        with transaction.atomic():
            ballot, written = _ballot(ctx, group, i, n, rng, voters[group.pk], started)
        made["ballots"] += 1
        made["secret ballots"] += ballot.is_secret
        made["electors"] += len(ctx.footprints[group.pk])
        made["choices"] += n
        made["audit entries"] += written
        if ballot.closes_at and ballot.closes_at <= started:
            closing.append(ballot)
        else:
            made["still open"] += 1
    for ballot in closing:
        advance(ballot=ballot)  # the service counts the stored casts and records the close
    made["closed through the service"] = len(closing)
    return Part(
        "ballots",
        path="bulk (ballots, electorates, casts, audit entries); closing: service (ballots.services.advance)",
        counts=made,
    )


def _ballot(
    ctx: ScaleContext,
    group: Any,
    i: int,
    n: int,
    rng: random.Random,
    voters: list[Any],
    now: datetime,
) -> tuple[Ballot, int]:
    method = METHODS[i % len(METHODS)]
    stays_open = i % 10 in (8, 9)  # one in five still open, and one of those is secret
    opens = now - timedelta(days=40 - i % 20)
    closes = now + timedelta(days=14) if stays_open else opens + timedelta(days=14)
    admin = ctx.admins[group.pk]
    ballot = Ballot(
        group=group,
        kind=Kind.BALLOT,
        title=f"Scale ballot {i + 1}",
        question=f"Load-scale question {i + 1}: does the group support this proposal?",
        method=method,
        electorate=Electorate.PRACTICES,
        weighting=WEIGHTINGS[i % len(WEIGHTINGS)],
        is_secret=i % 5 == 4,  # one in five
        points_allowance=POINTS if method == Method.POINTS else None,
        opens_at=opens,
        closes_at=closes,
        status=Status.OPEN,
        opened_at=opens,
        created_by=admin,
        created_at=opens - timedelta(days=7),
    )
    ballot.save()
    labels = list(YES_NO_OPTIONS) if method == Method.YES_NO else [f"Option {c}" for c in "ABCD"]
    options = Option.objects.bulk_create(
        [Option(ballot=ballot, position=p, label=label) for p, label in enumerate(labels)]
    )
    option_ids = [str(o.pk) for o in options]
    practices = ctx.footprints[group.pk]
    electors = ELECTORS.reserve_ids(len(practices))
    ELECTORS.write(
        (pk, ballot.pk, p.pk, p.pcn_id, None, f"{p.name} ({p.ods_code})", p.list_size or 0)
        for pk, p in zip(electors, practices, strict=True)
    )
    elector_of = {
        p.pk: _Elector(pk, f"{p.name} ({p.ods_code})", p.list_size or 0)
        for pk, p in zip(electors, practices, strict=True)
    }
    events = [
        audit.Event(
            "ballots.ballot.drafted",
            admin.pk,
            admin.email,
            "ballots.Ballot",
            str(ballot.pk),
            {"title": ballot.title},
        ),
        audit.Event(
            "ballots.ballot.scheduled",
            admin.pk,
            admin.email,
            "ballots.Ballot",
            str(ballot.pk),
            {"opens_at": opens, "closes_at": closes},
        ),
        audit.Event(
            "ballots.ballot.opened",
            None,
            "system",
            "ballots.Ballot",
            str(ballot.pk),
            {"electors": len(electors)},
        ),
    ]
    chosen = rng.sample(voters, n)
    casts = []
    for practice in chosen:
        user = ctx.signatories[practice.pk][0]
        choice = contents.normalise(
            method=method, options=option_ids, content=_content(rng, method, option_ids), allowance=POINTS
        )
        casts.append((elector_of[practice.pk], user, choice))
    if ballot.is_secret:
        events += _secret(ctx, ballot, casts)
    else:
        events += _open(ctx, ballot, casts, opens)
    written = audit.record_many(group=group, events=events)
    return ballot, written


def _open(ctx: ScaleContext, ballot: Ballot, casts: list[tuple], opens: datetime) -> list[audit.Event]:
    at = opens + timedelta(hours=1)
    ids = VOTES.reserve_ids(len(casts))
    VOTES.write((pk, ballot.pk, e.pk, c, True, u, at) for pk, (e, u, c) in zip(ids, casts, strict=True))
    return [
        audit.Event(
            "ballots.vote.cast",
            u,
            ctx.emails[u],
            "ballots.Vote",
            str(pk),
            {"ballot": ballot.pk, "elector": e.label, "choice": c, "replaces_earlier": False},
        )
        for pk, (e, u, c) in zip(ids, casts, strict=True)
    ]


def _secret(ctx: ScaleContext, ballot: Ballot, casts: list[tuple]) -> list[audit.Event]:
    SEALED.write(
        (
            uuid.uuid4(),
            ballot.pk,
            sealing.seal(ballot_id=ballot.pk, elector_id=e.pk),
            sealing.receipt_digest(sealing.new_receipt()),
            c,
            sealing.seal_weight(ballot_id=ballot.pk, weight=e.weight),
        )
        for e, _, c in casts
    )
    ids = PARTICIPATIONS.reserve_ids(len(casts))
    PARTICIPATIONS.write((pk, ballot.pk, e.pk, u, 1) for pk, (e, u, _) in zip(ids, casts, strict=True))
    return [
        audit.Event(
            "ballots.vote.cast_secret",
            u,
            ctx.emails[u],
            "ballots.Ballot",
            str(ballot.pk),
            {"elector": e.label, "replaces_earlier": False},
        )
        for e, u, _ in casts
    ]
