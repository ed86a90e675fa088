"""Notifications: a person's preferences, and the scheduled sending of notices.

``notices_send`` finds the events due to be announced (a ballot or ratification opened, one closes
within the reminder period, a result published, nominations opened), claims each once by inserting
its ``Notice`` row, and queues one email per recipient through the outbox under a key that names
the event and the person (and the practice, for reminders), so nothing is ever sent twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone

from gpvoice.ballots.models import Ballot, Elector, Reminder, Status
from gpvoice.ballots.models import Kind as BallotKind
from gpvoice.core import audit
from gpvoice.core.formats import when
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance.models import MandateAnswer, MandateRound
from gpvoice.jobs.mail import queue_email
from gpvoice.priorities.models import Phase, PriorityRound

from . import recipients as rcpt
from .models import OPTIONAL, Kind, Notice, Preferences
from .recipients import Recipient

#: Events older than this are not announced (a worker that was down catches up; a new deployment
#: does not email about last year's ballots).
LOOKBACK = timedelta(days=2)


class NotAllowed(Exception):
    """Someone tried to change another person's preferences."""


@transaction.atomic
def preferences_update(
    *, user: Any, actor: Any, reminders: bool, results: bool, nominations: bool
) -> Preferences:
    """A person changes their own notification preferences (nobody else may)."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        raise NotAllowed("You can only change your own notification settings.")
    prefs, _ = Preferences.objects.select_for_update().get_or_create(user=user)
    prefs.reminders, prefs.results, prefs.nominations = reminders, results, nominations
    prefs.updated_at = timezone.now()
    prefs.save()
    audit.record(
        action="notifications.preferences.changed",
        actor=actor,
        obj=prefs,
        data={"reminders": reminders, "results": results, "nominations": nominations},
    )
    return prefs


def reminder_before() -> timedelta:
    return timedelta(hours=settings.NOTIFY_REMINDER_HOURS)


def notices_send(*, now: datetime | None = None, groups: list[LeadershipGroup] | None = None) -> int:
    """The scheduled job: announce every event due, each once. Returns how many emails were queued.
    With ``groups``, only those groups' events (the demo announces its own, never anyone else's)."""
    now = now or timezone.now()
    return sum(
        send(now, groups)
        for send in (
            _ballots_opened,
            _ballot_reminders,
            _ballot_results,
            _ratifications_opened,
            _ratification_reminders,
            _nominations_opened,
        )
    )


def _of(due: Any, groups: list[LeadershipGroup] | None) -> Any:
    return due if groups is None else due.filter(group__in=groups)


# Each event -------------------------------------------------------------------------------------


def _unclaimed(kind: Kind) -> Any:
    return Notice.objects.filter(kind=kind).values("subject_id")


def _ballots() -> Any:
    return Ballot.objects.filter(kind=BallotKind.BALLOT).select_related("group")


Email = tuple[str, str, str, str]  # outbox key, address, subject, body


def _ballots_opened(now: datetime, groups: list[LeadershipGroup] | None = None) -> int:
    due = _ballots().filter(status=Status.OPEN, opened_at__gte=now - LOOKBACK, closes_at__gt=now)
    return sum(
        _announce(Kind.BALLOT_OPENED, b.group, b.pk, partial(_opened_emails, b))
        for b in _of(due, groups).exclude(pk__in=_unclaimed(Kind.BALLOT_OPENED))
    )


def _opened_emails(ballot: Ballot) -> list[Email]:
    everyone = rcpt.electorate(ballot, Elector.objects.filter(ballot=ballot))
    return [_ballot_email(Kind.BALLOT_OPENED, ballot, r) for r in everyone]


def _ballot_reminders(now: datetime, groups: list[LeadershipGroup] | None = None) -> int:
    """Once the ballot closes within the reminder period: to the signatories of each practice (or the
    core member) that has not voted. A ballot opened inside the period gets its opening notice only;
    a ballot whose officers set their own reminder times gets those instead (ballots.reminders)."""
    before = reminder_before()
    due = _ballots().filter(
        status=Status.OPEN,
        closes_at__gt=now,
        closes_at__lte=now + before,
        opened_at__lt=F("closes_at") - before,
    )
    due = due.exclude(Exists(Reminder.objects.filter(ballot=OuterRef("pk"))))
    return sum(
        _announce(Kind.BALLOT_REMINDER, b.group, b.pk, partial(_reminder_emails, b))
        for b in _of(due, groups).exclude(pk__in=_unclaimed(Kind.BALLOT_REMINDER))
    )


def _reminder_emails(ballot: Ballot) -> list[Email]:
    waiting = rcpt.without_opted_out(rcpt.electorate(ballot, rcpt.not_voted(ballot)), Kind.BALLOT_REMINDER)
    emails = []
    for r in waiting:
        if not r.practices:  # a core member, voting as themself
            emails.append(_ballot_email(Kind.BALLOT_REMINDER, ballot, r))
        # One per practice that has not voted: at most once per practice, ballot and signatory.
        emails += [_ballot_email(Kind.BALLOT_REMINDER, ballot, r, practice=p) for p in r.practices]
    return emails


def _ballot_results(now: datetime, groups: list[LeadershipGroup] | None = None) -> int:
    due = _ballots().filter(status=Status.PUBLISHED, published_at__gte=now - LOOKBACK)
    return sum(
        _announce(Kind.BALLOT_RESULT, b.group, b.pk, partial(_result_emails, b))
        for b in _of(due, groups).exclude(pk__in=_unclaimed(Kind.BALLOT_RESULT))
    )


def _result_emails(ballot: Ballot) -> list[Email]:
    everyone = rcpt.electorate(ballot, Elector.objects.filter(ballot=ballot))
    return [
        _ballot_email(Kind.BALLOT_RESULT, ballot, r)
        for r in rcpt.without_opted_out(everyone, Kind.BALLOT_RESULT)
    ]


def _rounds() -> Any:
    return MandateRound.objects.select_related("group", "terms")


def _ratifications_opened(now: datetime, groups: list[LeadershipGroup] | None = None) -> int:
    due = _rounds().filter(opened_at__gte=now - LOOKBACK, closes_at__gt=now)
    return sum(
        _announce(Kind.RATIFICATION_OPENED, r.group, r.pk, partial(_ratification_opened_emails, r))
        for r in _of(due, groups).exclude(pk__in=_unclaimed(Kind.RATIFICATION_OPENED))
    )


def _ratification_opened_emails(round: MandateRound) -> list[Email]:
    everyone = rcpt.signatories(footprint_practices(group=round.group).values("pk"))
    return [_ratification_email(Kind.RATIFICATION_OPENED, round, who) for who in everyone]


def _ratification_reminders(now: datetime, groups: list[LeadershipGroup] | None = None) -> int:
    before = reminder_before()
    due = _rounds().filter(
        closes_at__gt=now, closes_at__lte=now + before, opened_at__lt=F("closes_at") - before
    )
    return sum(
        _announce(Kind.RATIFICATION_REMINDER, r.group, r.pk, partial(_ratification_reminder_emails, r))
        for r in _of(due, groups).exclude(pk__in=_unclaimed(Kind.RATIFICATION_REMINDER))
    )


def _ratification_reminder_emails(round: MandateRound) -> list[Email]:
    answered = MandateAnswer.objects.filter(round=round, is_current=True).values("practice_id")
    waiting = footprint_practices(group=round.group).exclude(pk__in=answered).values("pk")
    return [
        _ratification_email(Kind.RATIFICATION_REMINDER, round, who, practice=p)
        for who in rcpt.without_opted_out(rcpt.signatories(waiting), Kind.RATIFICATION_REMINDER)
        for p in who.practices
    ]


def _nominations_opened(now: datetime, groups: list[LeadershipGroup] | None = None) -> int:
    due = PriorityRound.objects.filter(phase=Phase.NOMINATIONS, created_at__gte=now - LOOKBACK)
    return sum(
        _announce(Kind.NOMINATIONS_OPENED, r.group, r.pk, partial(_nominations_emails, r))
        for r in _of(due, groups).select_related("group").exclude(pk__in=_unclaimed(Kind.NOMINATIONS_OPENED))
    )


def _nominations_emails(round: PriorityRound) -> list[Email]:
    everyone = rcpt.without_opted_out(rcpt.members(round.group), Kind.NOMINATIONS_OPENED)
    return [_nominations_email(round, who) for who in everyone]


def _announce(kind: Kind, group: LeadershipGroup, subject_id: int, build: Callable[[], list[Email]]) -> int:
    """Claim the event, queue its emails (key, to, subject, body) and record it, in one transaction:
    a failure sends nothing and leaves the event to the next run."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                notice = Notice.objects.create(kind=kind, subject_id=subject_id, group=group)
        except IntegrityError:  # another worker claimed it first
            return 0
        sent = 0
        for key, address, subject, body in build():
            sent += queue_email(key=key, to=[address], subject=subject, body=body)[1]
        Notice.objects.filter(pk=notice.pk).update(recipients=sent)
        audit.record(
            action=f"notifications.{kind.value}.sent",
            group=group,
            obj=notice,
            data={"subject": subject_id, "sent": sent},
        )
    return sent


# The emails ------------------------------------------------------------------------------------


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _footer(kind: Kind, group: LeadershipGroup, why: str) -> str:
    service = settings.SERVICE_NAME
    lines = [f"You are receiving this email from {service}, for {group.name}, because {why}."]
    if kind in OPTIONAL:
        settings_link = _link(reverse("notifications:preferences"))
        lines.append(f"To stop these emails, change your notification settings: {settings_link}")
    else:
        lines.append(
            "This notice is always sent to the people who act for a practice when a vote opens for it; "
            "you can turn off reminders and other emails in your notification settings: "
            + _link(reverse("notifications:preferences"))
        )
    return "\n\n-- \n" + "\n".join(lines) + "\n"


def _for(recipient: Recipient, practice: tuple[int, str] | None = None) -> str:
    if practice is not None:
        return f" for {practice[1]}"
    names = [name for _, name in recipient.practices]
    return f" for {', '.join(names)}" if names else ""


def _ballot_email(
    kind: Kind, ballot: Ballot, recipient: Recipient, practice: tuple[int, str] | None = None
) -> Email:
    group = ballot.group
    vote = _link(reverse("ballots:vote", args=[group.slug, ballot.pk]))
    result = _link(reverse("ballots:results", args=[group.slug, ballot.pk]))
    for_whom = _for(recipient, practice)
    why = (
        f"you act for a practice in {group.name}'s ballot"
        if recipient.practices
        else f"you are a core member of {group.name} entitled to vote"
    )
    if kind == Kind.BALLOT_OPENED:
        subject = f"{group.name}: a ballot is open — {ballot.title}"
        text = (
            f"The ballot “{ballot.title}” is open{for_whom}. It closes on {when(ballot.closes_at)}.\n\n"
            f"{ballot.question}\n\nVote here: {vote}"
        )
    elif kind == Kind.BALLOT_REMINDER:
        subject = f"{group.name}: please vote — {ballot.title} closes {when(ballot.closes_at)}"
        text = (
            f"The ballot “{ballot.title}” closes on {when(ballot.closes_at)}, and no vote has been cast"
            f"{for_whom} yet.\n\n{ballot.question}\n\nVote here: {vote}"
        )
        why += ", and no vote has been cast" + (for_whom or " by you")
    else:
        outcome = ((ballot.result or {}).get("outcome") or {}).get("text", "")
        subject = f"{group.name}: result published — {ballot.title}"
        text = (
            f"The result of the ballot “{ballot.title}” is published.\n\n{outcome}\n\nSee it here: {result}"
        )
    key_practice = f":{practice[0]}" if practice is not None else ""
    key = f"notice:{kind.value}:{ballot.pk}{key_practice}:{recipient.address}"
    return key, recipient.address, subject, f"Dear {recipient.name},\n\n{text}\n" + _footer(kind, group, why)


def _ratification_email(
    kind: Kind, round: MandateRound, recipient: Recipient, practice: tuple[int, str] | None = None
) -> Email:
    group = round.group
    link = _link(reverse("governance:mandate", args=[group.slug]))
    terms = _link(reverse("governance:terms", args=[group.slug, round.terms_id]))
    for_whom = _for(recipient, practice)
    why = f"you act for a practice in {group.name}'s footprint"
    if kind == Kind.RATIFICATION_OPENED:
        subject = f"{group.name}: please ratify the terms of reference"
        text = (
            f"{group.name} asks its practices to ratify {round.terms}. Please record your practice's "
            f"answer{for_whom} (agree, decline or abstain) by {when(round.closes_at)}.\n\n"
            f"Read the terms: {terms}\n\nAnswer here: {link}"
        )
    else:
        subject = f"{group.name}: ratification closes {when(round.closes_at)}"
        text = (
            f"The ratification of {round.terms} closes on {when(round.closes_at)}, and no answer has "
            f"been recorded{for_whom} yet.\n\nRead the terms: {terms}\n\nAnswer here: {link}"
        )
        why += ", and your practice has not answered"
    key_practice = f":{practice[0]}" if practice is not None else ""
    key = f"notice:{kind.value}:{round.pk}{key_practice}:{recipient.address}"
    return key, recipient.address, subject, f"Dear {recipient.name},\n\n{text}\n" + _footer(kind, group, why)


def _nominations_email(round: PriorityRound, recipient: Recipient) -> Email:
    group = round.group
    link = _link(reverse("priorities:detail", args=[group.slug, round.pk]))
    subject = f"{group.name}: nominations are open — {round.title}"
    text = (
        f"{group.name} is setting its priorities. Nominations for “{round.title}” are open until the "
        f"executive closes them: propose a priority, with your reasons.\n\nPropose one here: {link}"
    )
    why = f"you are a member of {group.name}"
    key = f"notice:{Kind.NOMINATIONS_OPENED.value}:{round.pk}:{recipient.address}"
    return (
        key,
        recipient.address,
        subject,
        f"Dear {recipient.name},\n\n{text}\n" + _footer(Kind.NOMINATIONS_OPENED, group, why),
    )
