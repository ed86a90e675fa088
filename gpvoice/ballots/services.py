"""Every ballot write: checked, atomic, audited. Refusals say why, for a person.

Locking discipline: every write to a ballot's electorate, casts or status takes the ballot row
first (``lock_row``), so a cast and a close never interleave, and two casts for one elector
queue. Unique constraints (one current vote per elector, one sealed choice per seal, one
participation per elector) stand behind the lock. Status changes made by the clock are
compare-and-swap under that lock, so two workers cannot both open or close a ballot.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance.models import RollEntry, RollStatus
from gpvoice.governance.selectors import signatory_practices

from . import contents, sealing
from .models import (
    THRESHOLD_METHODS,
    Ballot,
    Elector,
    Electorate,
    Kind,
    Method,
    Option,
    Participation,
    Reminder,
    SealedChoice,
    Status,
    Threshold,
    TieBreak,
    Vote,
    Weighting,
)
from .selectors import load_casts, rules_for


class BallotError(Exception):
    """A refusal with a message fit to show the person who asked."""


YES_NO_OPTIONS = ("Yes", "No")


@dataclass(frozen=True)
class Draft:
    """Everything an officer sets before a ballot opens."""

    title: str
    question: str
    method: str
    electorate: str
    weighting: str = Weighting.EQUAL
    is_secret: bool = False
    options: Sequence[str] = ()
    threshold: str = Threshold.SIMPLE
    threshold_num: int = 1
    threshold_den: int = 2
    quorum_practices_percent: int | None = None
    quorum_patients_percent: int | None = None
    points_allowance: int | None = None
    tie_break: str = TieBreak.LISTED_FIRST
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    publish_on_close: bool = True
    reminders: Sequence[datetime] = ()
    owner: str = ""


def _check_draft(draft: Draft) -> list[str]:
    labels = list(YES_NO_OPTIONS) if draft.method == Method.YES_NO else [o.strip() for o in draft.options]
    problems = []
    if not draft.title.strip() or not draft.question.strip():
        problems.append("Give the ballot a title and a question.")
    if draft.method not in Method.values or draft.electorate not in Electorate.values:
        problems.append("Choose a method and an electorate.")
    if draft.weighting not in Weighting.values or draft.threshold not in Threshold.values:
        problems.append("Choose a weighting and a threshold.")
    if draft.method != Method.YES_NO and len([label for label in labels if label]) < 2:
        problems.append("Give at least two options.")
    if len(set(labels)) != len(labels) or any(not label for label in labels):
        problems.append("Each option needs its own, non-empty label.")
    if len(labels) > 100:
        problems.append("A ballot can have at most 100 options.")
    if draft.electorate == Electorate.CORE and draft.weighting != Weighting.EQUAL:
        problems.append("Core members have one vote each: weighting by patients applies only to practices.")
    if draft.weighting == Weighting.DOUBLE and draft.method not in THRESHOLD_METHODS:
        problems.append("A double majority applies to yes/no and single-choice questions.")
    if draft.is_secret and draft.weighting != Weighting.EQUAL and draft.method not in THRESHOLD_METHODS:
        problems.append(
            "A secret ballot can be weighted by patients only for yes/no and single-choice questions: "
            "weighted rounds or points would reveal how individual practices voted."
        )
    if draft.method == Method.POINTS and not (
        draft.points_allowance and 1 <= draft.points_allowance <= 10000
    ):
        problems.append("Set the points each elector has to give (between 1 and 10,000).")
    if draft.threshold == Threshold.CUSTOM and not (0 < draft.threshold_num <= draft.threshold_den):
        problems.append("A custom threshold is a share between 0 and 1, such as 3 out of 5.")
    for quorum in (draft.quorum_practices_percent, draft.quorum_patients_percent):
        if quorum is not None and not 0 < quorum <= 100:
            problems.append("A quorum is a percentage between 1 and 100.")
    if draft.electorate == Electorate.CORE and draft.quorum_patients_percent is not None:
        problems.append("A quorum by patients applies only to practices.")
    if draft.opens_at and draft.closes_at and draft.closes_at <= draft.opens_at:
        problems.append("The closing time must be after the opening time.")
    for when in draft.reminders:
        if draft.opens_at and draft.closes_at and not draft.opens_at < when < draft.closes_at:
            problems.append("Reminders must fall while the ballot is open.")
            break
    return problems


def _apply(ballot: Ballot, draft: Draft) -> None:
    ballot.title, ballot.question = draft.title.strip(), draft.question.strip()
    ballot.method, ballot.electorate, ballot.weighting = draft.method, draft.electorate, draft.weighting
    ballot.is_secret, ballot.threshold = draft.is_secret, draft.threshold
    if draft.threshold == Threshold.CUSTOM:
        ballot.threshold_num, ballot.threshold_den = draft.threshold_num, draft.threshold_den
    ballot.quorum_practices_percent = draft.quorum_practices_percent
    ballot.quorum_patients_percent = draft.quorum_patients_percent
    ballot.points_allowance = draft.points_allowance if draft.method == Method.POINTS else None
    ballot.tie_break = draft.tie_break
    if draft.tie_break == TieBreak.SEEDED and not ballot.tie_seed:
        ballot.tie_seed = secrets.token_hex(16)
    ballot.opens_at, ballot.closes_at = draft.opens_at, draft.closes_at
    ballot.publish_on_close = draft.publish_on_close


def _replace_options(ballot: Ballot, draft: Draft) -> None:
    labels = list(YES_NO_OPTIONS) if draft.method == Method.YES_NO else [o.strip() for o in draft.options]
    Option.objects.filter(ballot=ballot).delete()
    Option.objects.bulk_create(
        Option(ballot=ballot, position=i, label=label) for i, label in enumerate(labels)
    )
    Reminder.objects.filter(ballot=ballot).delete()
    Reminder.objects.bulk_create(
        Reminder(ballot=ballot, send_at=when) for when in sorted(set(draft.reminders))
    )


@transaction.atomic
def ballot_create(*, group: LeadershipGroup, draft: Draft, actor: Any) -> Ballot:
    problems = _check_draft(draft)
    if problems:
        raise BallotError(" ".join(problems))
    ballot = Ballot(group=group, created_by=actor, owner=draft.owner)
    _apply(ballot, draft)
    ballot.save()
    _replace_options(ballot, draft)
    audit.record(
        action="ballots.ballot.drafted", actor=actor, group=group, obj=ballot, data={"title": ballot.title}
    )
    return ballot


@transaction.atomic
def ballot_update(*, ballot: Ballot, draft: Draft, actor: Any) -> Ballot:
    ballot = lock_row(Ballot.objects.all(), pk=ballot.pk)
    if ballot.owner:
        raise BallotError(f"This ballot belongs to the {ballot.owner}: change it there.")
    if ballot.status != Status.DRAFT:
        raise BallotError("Only a draft can be changed. Return it to draft first, if it has not opened.")
    problems = _check_draft(draft)
    if problems:
        raise BallotError(" ".join(problems))
    _apply(ballot, draft)
    ballot.save()
    _replace_options(ballot, draft)
    return ballot


@transaction.atomic
def ballot_schedule(*, ballot: Ballot, actor: Any) -> Ballot:
    ballot = lock_row(Ballot.objects.all(), pk=ballot.pk)
    if ballot.status != Status.DRAFT:
        raise BallotError("Only a draft can be scheduled.")
    now = timezone.now()
    if ballot.opens_at is None or ballot.closes_at is None:
        raise BallotError("Set when the ballot opens and closes before scheduling it.")
    if ballot.closes_at <= now:
        raise BallotError("The closing time has already passed.")
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.SCHEDULED)
    audit.record(
        action="ballots.ballot.scheduled",
        actor=actor,
        group=ballot.group,
        obj=ballot,
        data={"opens_at": ballot.opens_at, "closes_at": ballot.closes_at},
    )
    ballot.refresh_from_db()
    return ballot


@transaction.atomic
def ballot_unschedule(*, ballot: Ballot, actor: Any) -> Ballot:
    ballot = lock_row(Ballot.objects.all(), pk=ballot.pk)
    if ballot.owner:
        raise BallotError(f"This ballot belongs to the {ballot.owner}: change it there.")
    if ballot.status != Status.SCHEDULED or (ballot.opens_at and ballot.opens_at <= timezone.now()):
        raise BallotError("Only a scheduled ballot that has not opened can go back to draft.")
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.DRAFT)
    audit.record(action="ballots.ballot.unscheduled", actor=actor, group=ballot.group, obj=ballot)
    ballot.refresh_from_db()
    return ballot


# The clock: opening and closing on time --------------------------------------------------------


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
        today = timezone.localdate()
        entries = RollEntry.objects.filter(
            group=ballot.group, status=RollStatus.CORE, start__lte=today, end__isnull=True
        ).select_related("person")
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
            _close(ballot, now)
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
    from . import results

    electors = Elector.objects.filter(ballot=ballot)
    options = [
        (str(pk), label) for pk, label in Option.objects.filter(ballot=ballot).values_list("pk", "label")
    ]
    return results.compute(
        rules=rules_for(ballot),
        options=options,
        electorate_count=electors.count(),
        electorate_patients=sum(electors.values_list("weight", flat=True)),
        casts=load_casts(ballot=ballot),
    )


def advance_due(*, now: datetime | None = None) -> list[Ballot]:
    """The scheduled task: every ballot due to open or close. Returns those it moved."""
    now = now or timezone.now()
    due = Ballot.objects.filter(kind=Kind.BALLOT, status__in=[Status.SCHEDULED, Status.OPEN]).filter(
        opens_at__lte=now
    )
    moved = []
    for ballot in due:
        before = ballot.status
        after = advance(ballot=ballot, now=now)
        if after.status != before:
            moved.append(after)
    return moved


@transaction.atomic
def ballot_publish(*, ballot: Ballot, actor: Any) -> Ballot:
    ballot = lock_row(Ballot.objects.all(), pk=ballot.pk)
    if ballot.status != Status.CLOSED:
        raise BallotError("Only a closed ballot's result can be published.")
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    audit.record(action="ballots.ballot.published", actor=actor, group=ballot.group, obj=ballot)
    ballot.refresh_from_db()
    return ballot


# Casting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CastReceipt:
    ballot: Ballot
    elector: Elector
    receipt: str | None  # secret ballots only: shown once, never stored in clear
    replaced: bool


def electors_for(*, ballot: Ballot, user: Any) -> list[Elector]:
    """The electors this user may cast for: practices they sign for, or themselves as a member."""
    if not getattr(user, "is_authenticated", False):
        return []
    if ballot.electorate == Electorate.PRACTICES:
        return list(
            Elector.objects.filter(ballot=ballot, practice__in=signatory_practices(user=user)).order_by(
                "label"
            )
        )
    return list(Elector.objects.filter(ballot=ballot, person__user=user))


def ballot_cast(
    *, ballot: Ballot, user: Any, content: Any, practice: Organisation | None = None
) -> CastReceipt:
    advance(ballot=ballot)
    with transaction.atomic():
        ballot = lock_row(Ballot.objects.select_related("group"), pk=ballot.pk)
        now = timezone.now()
        if ballot.kind != Kind.BALLOT:
            raise BallotError("A recorded show of hands takes no votes.")
        if not ballot.accepts_votes_at(now):
            if ballot.status in (Status.DRAFT, Status.SCHEDULED):
                raise BallotError("This ballot is not open yet.")
            raise BallotError("This ballot has closed; votes can no longer be cast.")
        mine = electors_for(ballot=ballot, user=user)
        if ballot.electorate == Electorate.PRACTICES:
            if practice is not None:
                mine = [e for e in mine if e.practice_id == practice.pk]
            elif len(mine) > 1:
                raise BallotError("You sign for more than one practice: choose which one this vote is for.")
            if not mine:
                raise BallotError(
                    "Only a signatory of a practice in this ballot's electorate can vote for it."
                )
        elif not mine:
            raise BallotError("Only the group's core members at the time the ballot opened can vote.")
        elector = mine[0]
        option_ids = [str(pk) for pk in Option.objects.filter(ballot=ballot).values_list("pk", flat=True)]
        try:
            choice = contents.normalise(
                method=ballot.method, options=option_ids, content=content, allowance=ballot.points_allowance
            )
        except contents.InvalidChoice as refusal:
            raise BallotError(str(refusal)) from refusal
        if ballot.is_secret:
            receipt, replaced = _cast_secret(ballot, elector, choice, user)
        else:
            receipt, replaced = None, _cast_open(ballot, elector, choice, user, now)
    return CastReceipt(ballot, elector, receipt, replaced)


def _cast_open(ballot: Ballot, elector: Elector, choice: dict[str, Any], user: Any, now: datetime) -> bool:
    replaced = Vote.objects.filter(elector=elector, is_current=True).update(is_current=False) > 0
    vote = Vote.objects.create(ballot=ballot, elector=elector, content=choice, cast_by=user, cast_at=now)
    audit.record(
        action="ballots.vote.cast",
        actor=user,
        group=ballot.group,
        obj=vote,
        data={"ballot": ballot.pk, "elector": elector.label, "choice": choice, "replaces_earlier": replaced},
    )
    return replaced


def _cast_secret(ballot: Ballot, elector: Elector, choice: dict[str, Any], user: Any) -> tuple[str, bool]:
    seal = sealing.seal(ballot_id=ballot.pk, elector_id=elector.pk)
    replaced = SealedChoice.objects.filter(ballot=ballot, seal=seal).delete()[0] > 0
    receipt = sealing.new_receipt()
    SealedChoice.objects.create(
        ballot=ballot,
        seal=seal,
        receipt_digest=sealing.receipt_digest(receipt),
        content=choice,
        sealed_weight=sealing.seal_weight(ballot_id=ballot.pk, weight=elector.weight),
    )
    participation, created = Participation.objects.get_or_create(
        ballot=ballot, elector=elector, defaults={"cast_by": user}
    )
    if not created:
        Participation.objects.filter(pk=participation.pk).update(cast_by=user, casts=participation.casts + 1)
    # The audit entry says that this elector voted, never what: it must not undo the secrecy.
    audit.record(
        action="ballots.vote.cast_secret",
        actor=user,
        group=ballot.group,
        obj=ballot,
        data={"elector": elector.label, "replaces_earlier": replaced},
    )
    return receipt, replaced


# A show of hands ---------------------------------------------------------------------------


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
