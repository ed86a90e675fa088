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
    Method,
    Option,
    Reminder,
    Status,
    Threshold,
    TieBreak,
    Weighting,
)
from .refusals import BallotError

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


@transaction.atomic
def ballot_publish(*, ballot: Ballot, actor: Any) -> Ballot:
    ballot = lock_row(Ballot.objects.all(), pk=ballot.pk)
    if ballot.status != Status.CLOSED:
        raise BallotError("Only a closed ballot's result can be published.")
    Ballot.objects.filter(pk=ballot.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    audit.record(action="ballots.ballot.published", actor=actor, group=ballot.group, obj=ballot)
    ballot.refresh_from_db()
    return ballot
