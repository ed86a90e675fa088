"""Forums, their seats and meeting dates, and who holds each seat (with the conflict check)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person

from .. import conflicts
from ..models import NAME_MAX, SHORT_MAX, Cadence, Forum, ForumMeeting, Holder, Seat, SeatAppointment
from .checks import (
    ConflictsFound,
    RepresentationError,
    clean_text,
    lock_forum,
    lock_meeting,
    lock_seat,
    require_officer,
)

LONGEST_TERM = timedelta(days=5 * 366)
DAYS_LIMIT = 60


def _days(value: Any, label: str) -> int:
    if not isinstance(value, int) or not 0 <= value <= DAYS_LIMIT:
        raise RepresentationError(f"{label} must be a whole number of days from 0 to {DAYS_LIMIT}.")
    return value


def forum_create(
    *,
    group: LeadershipGroup,
    name: str,
    organiser: Organisation,
    cadence: str,
    topics: str = "",
    briefing_days: int = 7,
    report_days: int = 10,
    actor: Any,
) -> Forum:
    with transaction.atomic():
        # One forum name per group: taken under the group's row so two officers do not both add it.
        group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
        require_officer(group, actor)
        name = clean_text(name, label="The forum's name", limit=NAME_MAX)
        topics = clean_text(topics, label="Topics", limit=SHORT_MAX, required=False)
        if not isinstance(organiser, Organisation):
            raise RepresentationError("Choose the organisation that runs the forum.")
        if cadence not in Cadence.values:
            raise RepresentationError("Choose how often the forum meets.")
        if Forum.objects.filter(group=group, name__iexact=name).exists():
            raise RepresentationError(f"There is already a forum called “{name}”.")
        forum = Forum.objects.create(
            group=group,
            name=name,
            organiser=organiser,
            cadence=cadence,
            topics=topics,
            briefing_days=_days(briefing_days, "Days before for the briefing"),
            report_days=_days(report_days, "Days after for the report-back"),
        )
        audit.record(
            action="representation.forum.created",
            actor=actor,
            group=group,
            obj=forum,
            data={"name": name, "organiser": organiser.name},
        )
    return forum


def seat_add(*, forum: Forum, title: str, actor: Any) -> Seat:
    with transaction.atomic():
        forum = lock_forum(forum)
        require_officer(forum.group, actor)
        title = clean_text(title, label="The seat's title", limit=NAME_MAX)
        if Seat.objects.filter(forum=forum, title__iexact=title).exists():
            raise RepresentationError(f"{forum.name} already has a seat called “{title}”.")
        seat = Seat.objects.create(forum=forum, title=title)
        audit.record(
            action="representation.seat.added",
            actor=actor,
            group=forum.group,
            obj=seat,
            data={"title": title},
        )
    return seat


def forum_meeting_add(*, forum: Forum, on: Any, actor: Any) -> ForumMeeting:
    with transaction.atomic():
        forum = lock_forum(forum)
        require_officer(forum.group, actor)
        if not isinstance(on, date):
            raise RepresentationError("Enter the date of the forum meeting.")
        today = timezone.localdate()
        if not today - timedelta(days=366) <= on <= today + timedelta(days=2 * 366):
            raise RepresentationError("Enter a date within the last year or the next two years.")
        if ForumMeeting.objects.filter(forum=forum, on=on).exists():
            raise RepresentationError(f"{forum.name} already meets on that day.")
        meeting = ForumMeeting.objects.create(
            forum=forum,
            on=on,
            briefing_due_on=on - timedelta(days=forum.briefing_days),
            report_due_on=on + timedelta(days=forum.report_days),
        )
        audit.record(
            action="representation.meeting.added",
            actor=actor,
            group=forum.group,
            obj=meeting,
            data={"on": on},
        )
    return meeting


def _term(starts_on: Any, term_ends_on: Any) -> tuple[date, date]:
    if not isinstance(starts_on, date) or not isinstance(term_ends_on, date):
        raise RepresentationError("Enter the dates the term starts and ends.")
    if term_ends_on < starts_on:
        raise RepresentationError("The term must end on or after the day it starts.")
    if term_ends_on - starts_on > LONGEST_TERM:
        raise RepresentationError("A term is at most five years; appoint again when it ends.")
    if term_ends_on < timezone.localdate():
        raise RepresentationError("The term has already ended; enter a term that runs to today or later.")
    return starts_on, term_ends_on


def seat_appoint(
    *,
    seat: Seat,
    person: Person,
    holder: str,
    starts_on: Any,
    term_ends_on: Any,
    name_public: bool = False,
    proceed_reason: str = "",
    actor: Any,
) -> SeatAppointment:
    """Appoint the representative (or deputy) of a seat. The conflict check runs under the lock:
    when it finds anything, ``ConflictsFound`` says what, unless a reason to proceed is given."""
    with transaction.atomic():
        seat = lock_seat(seat)
        group = seat.forum.group
        require_officer(group, actor)
        if holder not in Holder.values:
            raise RepresentationError("Choose representative or deputy.")
        if not isinstance(person, Person):
            raise RepresentationError("Choose the person to appoint.")
        starts_on, term_ends_on = _term(starts_on, term_ends_on)
        reason = clean_text(proceed_reason, label="The reason", limit=2_000, required=False)
        today = timezone.localdate()
        live = SeatAppointment.objects.filter(seat=seat, holder=holder, ended_at__isnull=True).first()
        if live is not None and live.term_ends_on >= today:
            raise RepresentationError(
                f"{live.person.full_name} is the {live.get_holder_display().lower()} for this seat "
                "until their term ends; end their appointment first."
            )
        other = SeatAppointment.objects.filter(seat=seat, ended_at__isnull=True, person=person).exclude(
            holder=holder
        )
        if other.filter(term_ends_on__gte=today).exists():
            raise RepresentationError(
                f"{person.full_name} already holds this seat; one person cannot be both."
            )
        check = conflicts.check(person=person, forum=seat.forum)
        if check.findings and not reason:
            raise ConflictsFound(check.findings)
        if live is not None:  # its term ran out: the record ends now, and the seat is free
            SeatAppointment.objects.filter(pk=live.pk).update(ended_at=timezone.now())
        appointment = SeatAppointment.objects.create(
            seat=seat,
            person=person,
            holder=holder,
            starts_on=starts_on,
            term_ends_on=term_ends_on,
            name_public=bool(name_public),
            findings=" ".join(check.findings),
            proceed_reason=reason if check.findings else "",
            system_role=check.system_role,
            appointed_by=actor,
        )
        audit.record(
            action="representation.seat.appointed",
            actor=actor,
            group=group,
            obj=appointment,
            data={
                "seat": str(seat),
                "person": person.full_name,
                "holder": holder,
                "term_ends_on": term_ends_on,
                "findings": check.findings,
                "proceed_reason": appointment.proceed_reason,
            },
        )
    return appointment


def seat_vacate(*, appointment: SeatAppointment, actor: Any) -> SeatAppointment:
    with transaction.atomic():
        seat = lock_seat(appointment.seat)
        require_officer(seat.forum.group, actor)
        ended = SeatAppointment.objects.filter(pk=appointment.pk, seat=seat, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        if ended != 1:
            raise RepresentationError("That appointment has already ended.")
        appointment.refresh_from_db()
        audit.record(
            action="representation.seat.vacated",
            actor=actor,
            group=seat.forum.group,
            obj=appointment,
            data={"seat": str(seat), "person": appointment.person.full_name, "holder": appointment.holder},
        )
    return appointment


def forum_meeting_cancel(*, meeting: ForumMeeting, actor: Any) -> ForumMeeting:
    """The forum will not meet that day: no briefing is due and no report-back is chased."""
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        require_officer(meeting.forum.group, actor)
        if meeting.cancelled:
            raise RepresentationError("That forum meeting is already cancelled.")
        if hasattr(meeting, "report"):
            raise RepresentationError("A report-back has been filed for that meeting, so it took place.")
        meeting.cancelled = True
        meeting.save(update_fields=["cancelled"])
        audit.record(
            action="representation.meeting.cancelled",
            actor=actor,
            group=meeting.forum.group,
            obj=meeting,
            data={"forum": meeting.forum.name, "on": meeting.on},
        )
    return meeting


def forum_update(
    *,
    forum: Forum,
    name: str,
    organiser: Organisation,
    cadence: str,
    topics: str = "",
    briefing_days: int,
    report_days: int,
    actor: Any,
) -> Forum:
    """Change a forum's details; meetings still ahead take the new briefing and report-back days."""
    with transaction.atomic():
        forum = lock_forum(forum)
        require_officer(forum.group, actor)
        name = clean_text(name, label="The forum's name", limit=NAME_MAX)
        topics = clean_text(topics, label="Topics", limit=SHORT_MAX, required=False)
        if not isinstance(organiser, Organisation):
            raise RepresentationError("Choose the organisation that runs the forum.")
        if cadence not in Cadence.values:
            raise RepresentationError("Choose how often the forum meets.")
        if Forum.objects.filter(group=forum.group, name__iexact=name).exclude(pk=forum.pk).exists():
            raise RepresentationError(f"There is already a forum called “{name}”.")
        before = {"name": forum.name, "organiser": forum.organiser.name, "topics": forum.topics}
        forum.name, forum.organiser, forum.cadence, forum.topics = name, organiser, cadence, topics
        forum.briefing_days = _days(briefing_days, "Days before for the briefing")
        forum.report_days = _days(report_days, "Days after for the report-back")
        forum.save()
        ahead = list(ForumMeeting.objects.filter(forum=forum, on__gte=timezone.localdate()))
        for meeting in ahead:
            meeting.briefing_due_on = meeting.on - timedelta(days=forum.briefing_days)
            meeting.report_due_on = meeting.on + timedelta(days=forum.report_days)
        ForumMeeting.objects.bulk_update(ahead, ["briefing_due_on", "report_due_on"])
        audit.record(
            action="representation.forum.updated",
            actor=actor,
            group=forum.group,
            obj=forum,
            data={"before": before, "name": name, "organiser": organiser.name, "topics": topics},
        )
    return forum
