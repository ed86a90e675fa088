"""Officers correcting a ballot they set: cancelling it (nothing is counted) or extending its close.

Both take the ballot row first, as casting and the clock do (services/__init__.py), so a cancel,
an extension, a cast and a close by the clock never interleave: whichever takes the lock first
wins, and the others see its result when they re-read the status under the lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit, text
from gpvoice.core.formats import when
from gpvoice.jobs.mail import queue_email

from ..models import Ballot, Kind, Status
from ..reminders import recipients
from .clock import _empty_the_seals
from .drafting import _lock
from .refusals import BallotError, require_officer

REASON_MAX = 1000
#: The furthest an officer may move a closing time in one step.
EXTENSION_MAX = timedelta(days=366)
NOT_RUNNING = "Only a scheduled or open ballot can be {doing}; this one is {status}."


def _running(ballot: Ballot, now: datetime, doing: str) -> None:
    """Refuse unless the ballot is scheduled or open and its closing time has not passed (a ballot
    whose time is up is counted by the clock, never cancelled or extended after the fact)."""
    if ballot.kind != Kind.BALLOT:
        raise BallotError("A recorded show of hands is a record of the room; it cannot be changed.")
    if ballot.owner:
        raise BallotError(f"This ballot belongs to the {ballot.owner}: change it there.")
    status = ballot.get_status_display().lower()
    if ballot.status not in (Status.SCHEDULED, Status.OPEN):
        raise BallotError(NOT_RUNNING.format(doing=doing, status=status))
    if ballot.closes_at is not None and ballot.closes_at <= now:
        raise BallotError(f"This ballot closed on {when(ballot.closes_at)}; it is counted, not {doing}.")


@transaction.atomic
def ballot_cancel(*, ballot: Ballot, reason: Any, actor: Any) -> Ballot:
    """Cancel a scheduled or open ballot: no result is computed, casting is refused with ``reason``."""
    ballot = _lock(ballot)
    require_officer(ballot.group, actor)
    now = timezone.now()
    _running(ballot, now, "cancelled")
    reason = text.clean_text(
        reason,
        name="The reason",
        limit=REASON_MAX,
        refuse=BallotError,
        enter="Say why the ballot is cancelled",
    )
    if ballot.is_secret:
        _empty_the_seals(ballot)  # as at close: no choice can be lined up with an elector afterwards
    # Compare-and-swap behind the lock: only a ballot still scheduled or open becomes cancelled.
    Ballot.objects.filter(pk=ballot.pk, status__in=[Status.SCHEDULED, Status.OPEN]).update(
        status=Status.CANCELLED, cancelled_at=now, cancel_reason=reason, cancelled_by=actor
    )
    audit.record(
        action="ballots.ballot.cancelled",
        actor=actor,
        group=ballot.group,
        obj=ballot,
        data={"title": ballot.title, "was": ballot.status, "reason": reason},
    )
    ballot.refresh_from_db()
    return ballot


@transaction.atomic
def ballot_extend(*, ballot: Ballot, closes_at: Any, actor: Any) -> tuple[Ballot, int]:
    """Move a ballot's closing time later, before it closes; returns it with the emails queued.

    The electors of an open ballot (every signatory or member who can vote, voted or not, since
    a vote can change until close) are told by email through the outbox."""
    ballot = _lock(ballot)
    require_officer(ballot.group, actor)
    now = timezone.now()
    _running(ballot, now, "extended")
    was = ballot.closes_at
    if not isinstance(closes_at, datetime) or timezone.is_naive(closes_at):
        raise BallotError("Enter the new closing date and time.")
    if was is not None and closes_at <= was:
        raise BallotError(f"The new closing time must be later than the current one, {when(was)}.")
    if closes_at - max(was or now, now) > EXTENSION_MAX:
        raise BallotError("A ballot can be extended by at most a year at a time.")
    # Only this service moves a closing time once a ballot has left draft: the model's save()
    # refuses it (FROZEN_FIELDS), so the change is made here, checked and audited, by update().
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=closes_at)
    ballot.refresh_from_db()
    told = _tell_electors(ballot, was) if ballot.status == Status.OPEN else 0
    audit.record(
        action="ballots.ballot.extended",
        actor=actor,
        group=ballot.group,
        obj=ballot,
        data={"was": was, "closes_at": closes_at, "told": told},
    )
    return ballot, told


def _tell_electors(ballot: Ballot, was: datetime | None) -> int:
    link = settings.SITE_URL.rstrip("/") + reverse("ballots:detail", args=[ballot.group.slug, ballot.pk])
    subject = f"{ballot.group.name}: more time to vote — {ballot.title}"
    stamp = ballot.closes_at.isoformat() if ballot.closes_at else ""
    told = 0
    for name, address in recipients(ballot=ballot, waiting_only=False):
        body = (
            f"Dear {name},\n\nThe officers of {ballot.group.name} have extended the ballot "
            f'"{ballot.title}". It was due to close on {when(was)}; it now closes on '
            f"{when(ballot.closes_at)}.\n\nYou are told because you can vote in it for your practice "
            f"or as a member. A vote already cast still counts and can be changed until the close."
            f"\n\nSee the ballot: {link}\n"
        )
        # One message per extension and address, however often this runs (jobs.mail).
        told += queue_email(
            key=f"ballot-extended:{ballot.pk}:{stamp}:{address}", to=[address], subject=subject, body=body
        )[1]
    return told
