"""Setting a ballot up: drafts, their rules, scheduling and publishing."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from ..models import (
    THRESHOLD_METHODS,
    Ballot,
    Electorate,
    Kind,
    Method,
    Option,
    Reminder,
    Status,
    Threshold,
    TieBreak,
    Weighting,
)
from .clock import advance
from .refusals import BallotError, require_officer

YES_NO_OPTIONS = ("Yes", "No")


TITLE_MAX, LABEL_MAX, TEXT_MAX = 200, 200, 10_000
MAX_OPTIONS = 100
#: A secret ballot's per-option figures stay withheld while fewer electors than this have voted.
SECRET_MIN_TURNOUT_DEFAULT = 5


@dataclass(frozen=True)
class Draft:
    """Everything an officer sets before a ballot opens. Values arrive as parsed, unchecked:
    ``check_draft`` is the one place the rules of a ballot are checked."""

    title: str
    question: str
    method: str
    electorate: str
    weighting: str = Weighting.EQUAL
    is_secret: bool = False
    options: Sequence[str] = ()
    threshold: str = Threshold.SIMPLE
    threshold_num: int | None = 1
    threshold_den: int | None = 2
    quorum_practices_percent: int | None = None
    quorum_patients_percent: int | None = None
    points_allowance: int | None = None
    tie_break: str = TieBreak.LISTED_FIRST
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    publish_on_close: bool = True
    reminders: Sequence[datetime] = ()
    owner: str = ""
    secret_min_turnout: int = SECRET_MIN_TURNOUT_DEFAULT


def _whole(value: Any, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def text_problem(value: Any, *, name: str, limit: int) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None  # missing text is reported once, by the caller
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        return f"{name} contains a character that cannot be stored. Remove it and try again."
    if len(value.strip()) > limit:
        return f"{name} must be {limit:,} characters or fewer; it has {len(value.strip()):,}."
    return None


def _labels(draft: Draft) -> list[str]:
    if draft.method == Method.YES_NO:
        return list(YES_NO_OPTIONS)
    return [o.strip() if isinstance(o, str) else "" for o in draft.options]


def check_draft(draft: Draft) -> list[str]:
    """Every reason this draft cannot be saved, for the officer (empty when it can)."""
    labels = _labels(draft)
    problems = []
    if not all(isinstance(t, str) and t.strip() for t in (draft.title, draft.question)):
        problems.append("Give the ballot a title and a question.")
    for value, name, limit in (
        (draft.title, "The title", TITLE_MAX),
        (draft.question, "The question", TEXT_MAX),
    ):
        problem = text_problem(value, name=name, limit=limit)
        if problem:
            problems.append(problem)
    if draft.method not in Method.values or draft.electorate not in Electorate.values:
        problems.append("Choose a method and an electorate.")
    if draft.weighting not in Weighting.values or draft.threshold not in Threshold.values:
        problems.append("Choose a weighting and a threshold.")
    if draft.tie_break not in TieBreak.values:
        problems.append("Choose how a tie is broken.")
    problems += _option_problems(draft, labels)
    problems += _rule_problems(draft)
    problems += _time_problems(draft)
    return list(dict.fromkeys(problems))


def _option_problems(draft: Draft, labels: list[str]) -> list[str]:
    problems = []
    if draft.method != Method.YES_NO and len([label for label in labels if label]) < 2:
        problems.append("Give at least two options.")
    if len(set(labels)) != len(labels) or any(not label for label in labels):
        problems.append("Each option needs its own, non-empty label.")
    if len(labels) > MAX_OPTIONS:
        problems.append(f"A ballot can have at most {MAX_OPTIONS} options.")
    for label in labels:
        problem = text_problem(label, name=f"The option “{label[:40]}”", limit=LABEL_MAX)
        if problem:
            problems.append(problem)
            break
    return problems


def _rule_problems(draft: Draft) -> list[str]:
    problems = []
    if draft.electorate == Electorate.CORE and draft.weighting != Weighting.EQUAL:
        problems.append("Core members have one vote each: weighting by patients applies only to practices.")
    if draft.weighting == Weighting.DOUBLE and draft.method not in THRESHOLD_METHODS:
        problems.append("A double majority applies to yes/no and single-choice questions.")
    if draft.is_secret and draft.weighting != Weighting.EQUAL and draft.method not in THRESHOLD_METHODS:
        problems.append(
            "A secret ballot can be weighted by patients only for yes/no and single-choice questions: "
            "weighted rounds or points would reveal how individual practices voted."
        )
    if draft.method == Method.POINTS and not _whole(draft.points_allowance, 1, 10_000):
        problems.append("Set the points each elector has to give (between 1 and 10,000).")
    if draft.threshold == Threshold.CUSTOM and not (
        _whole(draft.threshold_den, 1, 1000)
        and _whole(draft.threshold_num, 1, 1000)
        and draft.threshold_num <= draft.threshold_den  # type: ignore[operator]
    ):
        problems.append("A custom threshold is a share such as 3 in every 5, and never more than 1 in 1.")
    for quorum in (draft.quorum_practices_percent, draft.quorum_patients_percent):
        if quorum is not None and not _whole(quorum, 1, 100):
            problems.append("A quorum is a percentage between 1 and 100.")
    if draft.electorate == Electorate.CORE and draft.quorum_patients_percent is not None:
        problems.append("A quorum by patients applies only to practices.")
    if not _whole(draft.secret_min_turnout, 1, 1000):
        problems.append("The smallest turnout for showing a secret ballot's figures is between 1 and 1,000.")
    return problems


def _time_problems(draft: Draft) -> list[str]:
    problems = []
    if draft.opens_at and draft.closes_at and draft.closes_at <= draft.opens_at:
        problems.append("The ballot must close after it opens.")
    if len(draft.reminders) > 10:
        problems.append("Set at most 10 reminders.")
    for when in draft.reminders:
        if draft.opens_at and draft.closes_at and not draft.opens_at < when < draft.closes_at:
            problems.append("Reminders must fall while the ballot is open.")
            break
    return problems


def _apply(ballot: Ballot, draft: Draft) -> None:
    ballot.title, ballot.question = draft.title.strip(), draft.question.strip()
    ballot.method, ballot.electorate, ballot.weighting = draft.method, draft.electorate, draft.weighting
    ballot.is_secret, ballot.threshold = draft.is_secret, draft.threshold
    if draft.threshold == Threshold.CUSTOM and draft.threshold_num and draft.threshold_den:
        ballot.threshold_num, ballot.threshold_den = draft.threshold_num, draft.threshold_den
    ballot.quorum_practices_percent = draft.quorum_practices_percent
    ballot.quorum_patients_percent = draft.quorum_patients_percent
    ballot.points_allowance = draft.points_allowance if draft.method == Method.POINTS else None
    ballot.tie_break = draft.tie_break
    if draft.tie_break == TieBreak.SEEDED and not ballot.tie_seed:
        ballot.tie_seed = secrets.token_hex(16)
    ballot.opens_at, ballot.closes_at = draft.opens_at, draft.closes_at
    ballot.publish_on_close = draft.publish_on_close
    ballot.secret_min_turnout = draft.secret_min_turnout


def _replace_options(ballot: Ballot, draft: Draft) -> None:
    labels = _labels(draft)
    Option.objects.filter(ballot=ballot).delete()
    Option.objects.bulk_create(
        Option(ballot=ballot, position=i, label=label) for i, label in enumerate(labels)
    )
    Reminder.objects.filter(ballot=ballot).delete()
    Reminder.objects.bulk_create(
        Reminder(ballot=ballot, send_at=when) for when in sorted(set(draft.reminders))
    )


def _refuse_bad(draft: Draft) -> None:
    problems = check_draft(draft)
    if problems:
        raise BallotError.of(problems)


@transaction.atomic
def ballot_create(*, group: LeadershipGroup, draft: Draft, actor: Any) -> Ballot:
    # A new draft has no row to lock yet: the check needs only the actor's membership.
    require_officer(group, actor)
    _refuse_bad(draft)
    ballot = Ballot(group=group, created_by=actor, owner=draft.owner)
    _apply(ballot, draft)
    ballot.save()
    _replace_options(ballot, draft)
    audit.record(
        action="ballots.ballot.drafted", actor=actor, group=group, obj=ballot, data={"title": ballot.title}
    )
    return ballot


def _lock(ballot: Ballot) -> Ballot:
    # One writer per ballot at a time: status, rules, options and casts all hang off this row.
    return lock_row(Ballot.objects.select_related("group"), pk=ballot.pk)


@transaction.atomic
def ballot_update(*, ballot: Ballot, draft: Draft, actor: Any) -> Ballot:
    ballot = _lock(ballot)
    require_officer(ballot.group, actor)
    if ballot.owner:
        raise BallotError(f"This ballot belongs to the {ballot.owner}: change it there.")
    if ballot.status != Status.DRAFT or ballot.kind != Kind.BALLOT:
        raise BallotError("Only a draft can be changed. Return it to draft first, if it has not opened.")
    _refuse_bad(draft)
    _apply(ballot, draft)
    ballot.save()
    _replace_options(ballot, draft)
    audit.record(
        action="ballots.ballot.changed",
        actor=actor,
        group=ballot.group,
        obj=ballot,
        data={"title": ballot.title, "options": _labels(draft)},
    )
    return ballot


@transaction.atomic
def ballot_schedule(*, ballot: Ballot, actor: Any) -> Ballot:
    ballot = _lock(ballot)
    require_officer(ballot.group, actor)
    if ballot.status != Status.DRAFT or ballot.kind != Kind.BALLOT:
        raise BallotError("Only a draft can be scheduled.")
    now = timezone.now()
    if ballot.opens_at is None or ballot.closes_at is None:
        raise BallotError("Set when the ballot opens and closes before scheduling it.")
    if ballot.closes_at <= now:
        raise BallotError("The closing time has already passed.")
    # An opening time already past is never left "scheduled": the ballot opens now, and its
    # opening time says so (the electorate is frozen at this moment, not at the time once typed).
    opens_now = ballot.opens_at <= now
    if opens_now:
        ballot.opens_at = now
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.SCHEDULED, opens_at=ballot.opens_at)
    audit.record(
        action="ballots.ballot.scheduled",
        actor=actor,
        group=ballot.group,
        obj=ballot,
        data={"opens_at": ballot.opens_at, "closes_at": ballot.closes_at, "opens_now": opens_now},
    )
    ballot.refresh_from_db()
    if opens_now:
        ballot = advance(ballot=ballot, now=now)
    return ballot


@transaction.atomic
def ballot_unschedule(*, ballot: Ballot, actor: Any) -> Ballot:
    ballot = _lock(ballot)
    require_officer(ballot.group, actor)
    if ballot.owner:
        raise BallotError(f"This ballot belongs to the {ballot.owner}: change it there.")
    if ballot.status != Status.SCHEDULED or (ballot.opens_at and ballot.opens_at <= timezone.now()):
        raise BallotError("Only a scheduled ballot that has not opened can go back to draft.")
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.DRAFT)
    audit.record(action="ballots.ballot.unscheduled", actor=actor, group=ballot.group, obj=ballot)
    ballot.refresh_from_db()
    return ballot


@transaction.atomic
def ballot_publish(*, ballot: Ballot, actor: Any) -> Ballot:
    ballot = _lock(ballot)
    require_officer(ballot.group, actor)
    if ballot.status != Status.CLOSED:
        raise BallotError("Only a closed ballot's result can be published.")
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    audit.record(action="ballots.ballot.published", actor=actor, group=ballot.group, obj=ballot)
    ballot.refresh_from_db()
    return ballot
