"""Booking, giving up and removing places; the waiting list moving up in arrival order.

Every write locks the session row once, late (``lock_session``), then reads and counts under the
lock, writes, moves the kept ``Session.booked`` in the same transaction, and audits last. The
partial unique constraint (one live booking per person per session) stands behind the lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.formats import when

from .. import notices
from ..models import HOLDING, LIVE, Booking, BookingStatus, Session, SessionStatus, WaitMode
from .checks import EventError, audience_refusal, lock_session, require_officer


def _fill(session: Session, now: datetime) -> list[Booking]:
    """Give each free place to the next person waiting (or offer it, as the session says).

    The caller holds the session's lock and saves ``session.booked``, which this raises.
    """
    free = session.capacity - session.booked
    if free <= 0 or session.status != SessionStatus.SCHEDULED or now >= session.starts_at:
        return []
    moved = list(
        Booking.objects.filter(session=session, status=BookingStatus.WAITING)
        .select_related("user", "person")
        .order_by("position")[:free]
    )
    for booking in moved:
        booking.session = session
        if session.wait_mode == WaitMode.OFFER:
            booking.status = BookingStatus.OFFERED
            booking.offered_at = now
            booking.offer_expires_at = min(now + timedelta(hours=session.offer_hours), session.starts_at)
            booking.save(update_fields=["status", "offered_at", "offer_expires_at"])
            notices.offered(booking)
        else:
            booking.status = BookingStatus.BOOKED
            booking.booked_at = now
            booking.save(update_fields=["status", "booked_at"])
            notices.booked(booking, promoted=True)
    session.booked += len(moved)
    return moved


def _bookable(session: Session, now: datetime) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise EventError("This session is cancelled, so it takes no bookings.")
    if now < session.opens_at:
        raise EventError(f"Booking opens on {when(session.opens_at)}.")
    if now >= session.closes_at or now >= session.starts_at:
        raise EventError(f"Booking closed on {when(min(session.closes_at, session.starts_at))}.")


@transaction.atomic
def booking_make(
    *, session: Session, actor: Any, via_link: bool = False, now: datetime | None = None
) -> Booking:
    """A place if one is free and no one is waiting for it, else the next place on the waiting list."""
    now = now or timezone.now()
    session = lock_session(session)
    refusal = audience_refusal(session, actor, via_link=via_link)
    if refusal:
        raise EventError(refusal)
    _bookable(session, now)
    mine = Booking.objects.filter(session=session, user=actor, status__in=LIVE).first()
    if mine is not None:
        raise EventError(f"You are already on this session ({mine.get_status_display().lower()}).")
    waiting = Booking.objects.filter(session=session, status=BookingStatus.WAITING).count()
    free = session.booked < session.capacity and waiting == 0
    session.queued += 1
    booking = Booking.objects.create(
        session=session,
        user=actor,
        person=getattr(actor, "person", None),
        status=BookingStatus.BOOKED if free else BookingStatus.WAITING,
        position=session.queued,
        created_at=now,
        booked_at=now if free else None,
    )
    session.booked += 1 if free else 0
    session.save(update_fields=["booked", "queued"])
    if free:
        notices.booked(booking)
    else:
        notices.waiting(booking, ahead=waiting)
    audit.record(
        action="events.booking.made" if free else "events.booking.waiting",
        actor=actor,
        group=session.group,
        obj=booking,
        data={"session": session.pk, "status": booking.status, "position": booking.position},
    )
    return booking


def _end(booking: Booking, session: Session, status: BookingStatus, now: datetime) -> list[Booking]:
    """End a live booking; a place it held goes to the waiting list. Returns who moved up."""
    held = booking.status in HOLDING
    booking.status = status
    booking.ended_at = now
    booking.save(update_fields=["status", "ended_at"])
    booking.session = session
    notices.ended(booking)
    if not held:
        return []
    session.booked -= 1
    moved = _fill(session, now)
    session.save(update_fields=["booked"])
    return moved


def _live(session: Session, booking_id: Any) -> Booking:
    found = (
        Booking.objects.filter(session=session, pk=booking_id, status__in=LIVE)
        .select_related("user", "person")
        .first()
        if str(booking_id).isascii() and str(booking_id).isdigit() and len(str(booking_id)) < 12
        else None
    )
    if found is None:
        raise EventError("Choose a booking on this session that has not ended.")
    return found


@transaction.atomic
def booking_cancel(*, session: Session, actor: Any, now: datetime | None = None) -> Booking:
    """The person gives up their own place (until the cut-off) or leaves the waiting list."""
    now = now or timezone.now()
    session = lock_session(session)
    mine = Booking.objects.filter(session=session, user=actor, status__in=LIVE).first()
    if mine is None:
        raise EventError("You have no booking on this session to cancel.")
    if mine.status in HOLDING and now >= session.cancel_by:
        raise EventError(
            f"Places could be given up until {when(session.cancel_by)}. Please tell the organisers instead."
        )
    if now >= session.starts_at:
        raise EventError("The session has started.")
    was = mine.status
    moved = _end(mine, session, BookingStatus.CANCELLED, now)
    audit.record(
        action="events.booking.cancelled",
        actor=actor,
        group=session.group,
        obj=mine,
        data={"session": session.pk, "was": was, "moved_up": [b.pk for b in moved]},
    )
    return mine


@transaction.atomic
def booking_remove(*, session: Session, booking_id: Any, actor: Any, now: datetime | None = None) -> Booking:
    """An officer removes a booking, an offer or a waiting-list place; a freed place moves up."""
    now = now or timezone.now()
    session = lock_session(session)
    require_officer(session.group, actor)
    booking = _live(session, booking_id)
    if now >= session.ends_at:
        raise EventError("The session is over; record attendance instead.")
    was = booking.status
    moved = _end(booking, session, BookingStatus.REMOVED, now)
    audit.record(
        action="events.booking.removed",
        actor=actor,
        group=session.group,
        obj=booking,
        data={"session": session.pk, "was": was, "moved_up": [b.pk for b in moved]},
    )
    return booking


def _offer(booking_id: int, offered_at: str, now: datetime) -> tuple[Booking, Session]:
    """The offer a genuine link names, still open, with its session locked."""
    session_id = Booking.objects.filter(pk=booking_id).values_list("session_id", flat=True).first()
    if session_id is None:
        raise EventError("This offer link is not valid.")
    session = lock_session(session_id)
    booking = Booking.objects.select_related("user", "person").get(pk=booking_id)
    stamp = booking.offered_at.isoformat() if booking.offered_at else None
    if booking.status != BookingStatus.OFFERED or stamp != offered_at:
        raise EventError("This offer is no longer open: the place was accepted, declined or passed on.")
    if booking.offer_expires_at is not None and now >= booking.offer_expires_at:
        raise EventError(f"This offer lapsed on {when(booking.offer_expires_at)}; the place has passed on.")
    booking.session = session
    return booking, session


@transaction.atomic
def offer_accept(
    *, booking_id: int, offered_at: str, actor: Any = None, now: datetime | None = None
) -> Booking:
    """Take up an offered place from the emailed link (the signed link is the person's proof)."""
    now = now or timezone.now()
    booking, session = _offer(booking_id, offered_at, now)
    booking.status = BookingStatus.BOOKED
    booking.booked_at = now
    booking.save(update_fields=["status", "booked_at"])
    notices.booked(booking)
    audit.record(
        action="events.offer.accepted",
        actor=actor if getattr(actor, "is_authenticated", False) else booking.user,
        group=session.group,
        obj=booking,
        data={"session": session.pk},
    )
    return booking


@transaction.atomic
def offer_decline(
    *, booking_id: int, offered_at: str, actor: Any = None, now: datetime | None = None
) -> Booking:
    now = now or timezone.now()
    booking, session = _offer(booking_id, offered_at, now)
    moved = _end(booking, session, BookingStatus.DECLINED, now)
    audit.record(
        action="events.offer.declined",
        actor=actor if getattr(actor, "is_authenticated", False) else booking.user,
        group=session.group,
        obj=booking,
        data={"session": session.pk, "moved_up": [b.pk for b in moved]},
    )
    return booking


@transaction.atomic
def offers_lapse(*, session: Session, now: datetime | None = None) -> int:
    """The scheduled job, per session: offers past their time lapse and the places pass on."""
    now = now or timezone.now()
    session = lock_session(session)
    lapsed = list(
        Booking.objects.filter(session=session, status=BookingStatus.OFFERED, offer_expires_at__lte=now)
        .select_related("user", "person")
        .order_by("position")
    )
    moved: list[Booking] = []
    for booking in lapsed:
        moved += _end(booking, session, BookingStatus.LAPSED, now)
    if lapsed:
        audit.record(
            action="events.offers.lapsed",
            group=session.group,
            obj=session,
            data={"lapsed": [b.pk for b in lapsed], "moved_up": [b.pk for b in moved]},
        )
    return len(lapsed)


@transaction.atomic
def attendance_record(
    *, session: Session, attended: list[Any], actor: Any, now: datetime | None = None
) -> int:
    """Who came (booking ids of people with a place); everyone else booked did not. On the day or after."""
    now = now or timezone.now()
    session = lock_session(session)
    require_officer(session.group, actor)
    if timezone.localdate(now) < timezone.localdate(session.starts_at):
        raise EventError("Attendance is taken on the day of the session or after it.")
    places = Booking.objects.filter(session=session, status=BookingStatus.BOOKED)
    known = {str(pk) for pk in places.values_list("pk", flat=True)}
    wanted = {str(pk) for pk in attended}
    if wanted - known:
        raise EventError("Choose attendees from the people booked on this session.")
    places.update(attended=False)
    count = places.filter(pk__in=[int(pk) for pk in wanted]).update(attended=True)
    audit.record(
        action="events.attendance.recorded",
        actor=actor,
        group=session.group,
        obj=session,
        data={"attended": count, "booked": len(known)},
    )
    return count
