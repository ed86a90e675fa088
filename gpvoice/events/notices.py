"""Emails about bookings, queued in the outbox (jobs.mail), with the session's .ics where it helps."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from gpvoice.core.formats import when
from gpvoice.jobs.mail import queue_email

from . import calendar, tokens
from .models import Booking, Session


def _address(booking: Booking) -> str:
    return str(booking.user.email or (booking.person.email if booking.person else ""))


def _where(session: Session) -> str:
    return session.place or session.link or "to be confirmed"


def _site() -> str:
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def _send(booking: Booking, *, kind: str, stamp: str, subject: str, body: str, ics: str = "") -> None:
    address = _address(booking)
    if address:
        key = f"events-{kind}:{booking.pk}:{stamp}"
        queue_email(key=key, to=[address], subject=subject, body=body, calendar=ics)


def booked(booking: Booking, *, promoted: bool = False) -> None:
    """A place: booked at once, or given from the waiting list (promoted)."""
    session = booking.session
    lead = "A place has come free and it is yours" if promoted else "Your place is booked"
    body = (
        f"{lead}: {session.title} of {session.group.name}, on {when(session.starts_at)}.\n"
        f"Where: {_where(session)}\n\nThe invitation is attached; add it to your calendar.\n"
        f"If you cannot come, give up your place by {when(session.cancel_by)} so someone else can."
    )
    kind = "promoted" if promoted else "booked"
    stamp = booking.booked_at.isoformat() if booking.booked_at else ""
    subject = f"{'Place available' if promoted else 'Booked'}: {session.title}"
    _send(booking, kind=kind, stamp=stamp, subject=subject, body=body, ics=calendar.invitation(session))


def waiting(booking: Booking, ahead: int) -> None:
    session = booking.session
    body = (
        f"{session.title} on {when(session.starts_at)} is full, so you are on the waiting list"
        f" ({ahead} ahead of you). We will email you if a place comes free."
    )
    _send(
        booking,
        kind="waiting",
        stamp=str(booking.position),
        subject=f"Waiting list: {session.title}",
        body=body,
    )


def offered(booking: Booking) -> None:
    session = booking.session
    link = _site() + reverse("events:offer", args=[tokens.offer_token(booking)])
    body = (
        f"A place has come free on {session.title} of {session.group.name}, on {when(session.starts_at)}.\n"
        f"It is held for you until {when(booking.offer_expires_at)}; after that it passes to the next person"
        f" waiting.\n\nAccept or decline it here: {link}"
    )
    stamp = booking.offered_at.isoformat() if booking.offered_at else ""
    _send(booking, kind="offered", stamp=stamp, subject=f"A place is offered: {session.title}", body=body)


def ended(booking: Booking) -> None:
    """Cancelled by the person, removed by an officer, or the offer lapsed: the calendar entry goes."""
    session = booking.session
    label = booking.get_status_display().lower()
    body = f"Your booking on {session.title}, on {when(session.starts_at)}, is {label}."
    stamp = booking.ended_at.isoformat() if booking.ended_at else ""
    _send(
        booking,
        kind="ended",
        stamp=stamp,
        subject=f"{booking.get_status_display()}: {session.title}",
        body=body,
        ics=calendar.invitation(session, cancel=True) if booking.booked_at else "",
    )


def reminder(booking: Booking) -> None:
    session = booking.session
    body = (
        f"A reminder: {session.title} of {session.group.name} is on {when(session.starts_at)}.\n"
        f"Where: {_where(session)}\n\nIf you can no longer come, please tell the organisers."
    )
    _send(
        booking,
        kind="reminder",
        stamp="1",
        subject=f"Tomorrow: {session.title}",
        body=body,
        ics=calendar.invitation(session),
    )
