"""Setting up, changing and cancelling sessions (officers), and the day-before reminders (a job)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from .. import notices
from ..models import (
    CAPACITY_MAX,
    HOLDING,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Audience,
    Booking,
    BookingStatus,
    Kind,
    Session,
    SessionStatus,
    WaitMode,
)
from .bookings import _fill
from .checks import EventError, clean_text, lock_session, require_officer

LONGEST = timedelta(hours=12)
FURTHEST = timedelta(days=3 * 365)


@dataclass(frozen=True)
class Details:
    """What an officer sets on a session; the form hands it to the services as it is."""

    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    link: str
    capacity: int
    audience: str
    opens_at: datetime
    closes_at: datetime
    cancel_by: datetime
    wait_mode: str
    offer_hours: int


def _times(d: Details, now: datetime, *, new: bool) -> None:
    moments = (d.starts_at, d.ends_at, d.opens_at, d.closes_at, d.cancel_by)
    if not all(isinstance(m, datetime) for m in moments):
        raise EventError("Enter when the session starts and ends, and when booking opens and closes.")
    if new and d.starts_at <= now:
        raise EventError("The session must start in the future.")
    if d.starts_at > now + FURTHEST:
        raise EventError("Plan sessions at most three years ahead.")
    if not d.starts_at < d.ends_at <= d.starts_at + LONGEST:
        raise EventError("The session must end after it starts, and last at most 12 hours.")
    if not d.opens_at < d.closes_at <= d.starts_at:
        raise EventError("Booking must open before it closes, and close by the time the session starts.")
    if d.cancel_by > d.starts_at:
        raise EventError("The cut-off for giving up a place must be no later than the start.")


def _clean(d: Details, now: datetime, *, new: bool) -> dict[str, Any]:
    if d.kind not in Kind.values or d.audience not in Audience.values or d.wait_mode not in WaitMode.values:
        raise EventError("Choose the kind of session, who may book and how the waiting list moves.")
    _times(d, now, new=new)
    if not isinstance(d.capacity, int) or not 1 <= d.capacity <= CAPACITY_MAX:
        raise EventError(f"The number of places must be a whole number from 1 to {CAPACITY_MAX:,}.")
    if not isinstance(d.offer_hours, int) or not 1 <= d.offer_hours <= 168:
        raise EventError("An offered place is held for 1 to 168 hours.")
    link = clean_text(d.link, name="The link", limit=500, required=False)
    if link and not link.startswith("https://"):
        raise EventError("The link must start with https://")
    return {
        "kind": d.kind,
        "title": clean_text(d.title, name="The title", limit=TITLE_MAX),
        "description": clean_text(d.description, name="The description", limit=TEXT_MAX, required=False),
        "place": clean_text(d.place, name="The place", limit=PLACE_MAX, required=False),
        "link": link,
        "starts_at": d.starts_at,
        "ends_at": d.ends_at,
        "capacity": d.capacity,
        "audience": d.audience,
        "opens_at": d.opens_at,
        "closes_at": d.closes_at,
        "cancel_by": d.cancel_by,
        "wait_mode": d.wait_mode,
        "offer_hours": d.offer_hours,
    }


@transaction.atomic
def session_create(*, group: LeadershipGroup, details: Details, actor: Any) -> Session:
    # The group row: checked and created under it, like every group-owned record created by an officer.
    group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
    require_officer(group, actor)
    fields = _clean(details, timezone.now(), new=True)
    session = Session.objects.create(group=group, created_by=actor, **fields)
    audit.record(
        action="events.session.created",
        actor=actor,
        group=group,
        obj=session,
        data={"title": fields["title"], "capacity": fields["capacity"], "starts_at": fields["starts_at"]},
    )
    return session


@transaction.atomic
def session_update(*, session: Session, details: Details, actor: Any) -> Session:
    """Change a session; more places go to the waiting list at once, fewer than are held is refused."""
    now = timezone.now()
    session = lock_session(session)
    require_officer(session.group, actor)
    if session.status != SessionStatus.SCHEDULED:
        raise EventError("A cancelled session cannot be changed.")
    fields = _clean(details, now, new=False)
    if fields["capacity"] < session.booked:
        raise EventError(
            f"{session.booked} places are taken or offered, so the session needs at least that many places."
        )
    for name, value in fields.items():
        setattr(session, name, value)
    session.sequence += 1
    session.save()
    moved = _fill(session, now)
    session.save(update_fields=["booked"])
    audit.record(
        action="events.session.changed",
        actor=actor,
        group=session.group,
        obj=session,
        data={"capacity": session.capacity, "moved_up": [b.pk for b in moved]},
    )
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor: Any) -> Session:
    """Cancel a session: every live booking ends and its holder is told (with a calendar cancel)."""
    now = timezone.now()
    session = lock_session(session)
    require_officer(session.group, actor)
    if session.status != SessionStatus.SCHEDULED:
        raise EventError("The session is already cancelled.")
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    live = list(
        Booking.objects.filter(session=session, status__in=[*HOLDING, BookingStatus.WAITING]).select_related(
            "user", "person"
        )
    )
    for booking in live:
        booking.status, booking.ended_at, booking.session = BookingStatus.CANCELLED, now, session
        notices.ended(booking)
    Booking.objects.filter(pk__in=[b.pk for b in live]).update(status=BookingStatus.CANCELLED, ended_at=now)
    session.booked = 0
    session.save(update_fields=["status", "sequence", "booked"])
    audit.record(
        action="events.session.cancelled",
        actor=actor,
        group=session.group,
        obj=session,
        data={"bookings_ended": len(live)},
    )
    return session


def _due_tomorrow(now: datetime) -> list[int]:
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return list(
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__date=tomorrow,
        )
        .values_list("session_id", flat=True)
        .distinct()
    )


def reminders_send(*, now: datetime | None = None) -> int:
    """The scheduled job: the day before a session, remind each person booked, once each."""
    now = now or timezone.now()
    sent = 0
    for session_id in _due_tomorrow(now):
        sent += _remind(session_id, now)
    return sent


@transaction.atomic
def _remind(session_id: int, now: datetime) -> int:
    session = Session.objects.select_related("group").get(pk=session_id)
    due = Booking.objects.filter(session=session, status=BookingStatus.BOOKED, reminded_at__isnull=True)
    sent = 0
    for booking in due.select_related("user", "person"):
        # Compare-and-swap: two workers racing on the same booking send one reminder.
        if Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now) == 1:
            booking.session = session
            notices.reminder(booking)
            sent += 1
    if sent:
        audit.record(action="events.reminders.sent", group=session.group, obj=session, data={"sent": sent})
    return sent
