"""Reminding electors who have not voted, at the times set on the ballot."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.formats import when
from gpvoice.directory.models import Person
from gpvoice.governance.selectors import current_appointments_qs
from gpvoice.jobs.mail import queue_email

from .models import Ballot, Elector, Electorate, Reminder, Status


def _not_voted(ballot: Ballot) -> list[Elector]:
    electors = Elector.objects.filter(ballot=ballot)
    if ballot.is_secret:
        electors = electors.filter(participation__isnull=True)
    else:
        electors = electors.exclude(votes__is_current=True)
    return list(electors)


def recipients(*, ballot: Ballot, waiting_only: bool = True) -> list[tuple[str, str]]:
    """(name, email) of whoever can cast for each elector that has not voted (or, with
    ``waiting_only=False``, for every elector): a practice's current signatories, or the core
    member themself. Each address once."""
    waiting = _not_voted(ballot) if waiting_only else list(Elector.objects.filter(ballot=ballot))
    if ballot.electorate == Electorate.PRACTICES:
        practice_ids = [e.practice_id for e in waiting]
        people = Person.objects.filter(
            pk__in=current_appointments_qs()
            .filter(organisation_id__in=practice_ids, is_signatory=True)
            .values("person_id")
        )
    else:
        people = Person.objects.filter(pk__in=[e.person_id for e in waiting])
    people = people.filter(~Q(email="") | Q(user__isnull=False)).select_related("user")
    if apps.is_installed("gpvoice.notifications"):
        # Whoever turned reminders off in their notification settings is not reminded here either.
        people = people.exclude(user__notification_preferences__reminders=False)
    seen: dict[str, str] = {}
    for person in people:
        address = person.email or (person.user.email if person.user else "")
        if address:
            seen.setdefault(address.lower(), person.full_name)
    return sorted((name, address) for address, name in seen.items())


def reminder_send(*, reminder: Reminder, now: datetime | None = None) -> int:
    """Queue one due reminder, once: the row is claimed by compare-and-swap before any email is queued."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=now)
        if claimed != 1:
            return 0
        ballot = Ballot.objects.select_related("group").get(pk=reminder.ballot_id)
        if ballot.status != Status.OPEN or not ballot.closes_at or ballot.closes_at <= now:
            # Claimed but not sent (the ballot has closed): the claim is a write, so it is recorded.
            audit.record(
                action="ballots.reminder.skipped",
                group=ballot.group,
                obj=ballot,
                data={"reason": "the ballot is no longer open"},
            )
            return 0
        to = recipients(ballot=ballot)
        link = settings.SITE_URL.rstrip("/") + reverse("ballots:detail", args=[ballot.group.slug, ballot.pk])
        subject = f"{ballot.group.name}: please vote — {ballot.title}"
        sent = 0
        for name, address in to:
            body = (
                f'Dear {name},\n\nThe ballot "{ballot.title}" closes on {when(ballot.closes_at)}, '
                f"and no vote has been cast for you yet.\n\n{ballot.question}\n\nVote here: {link}\n"
            )
            # One message per reminder and address, however often this runs (jobs.mail).
            sent += queue_email(
                key=f"ballot-reminder:{reminder.pk}:{address}", to=[address], subject=subject, body=body
            )[1]
        Reminder.objects.filter(pk=reminder.pk).update(recipients=sent)
        audit.record(action="ballots.reminder.sent", group=ballot.group, obj=ballot, data={"sent": sent})
    return sent


def reminders_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = Reminder.objects.filter(sent_at__isnull=True, send_at__lte=now, ballot__status=Status.OPEN)
    return sum(reminder_send(reminder=r, now=now) for r in due)
