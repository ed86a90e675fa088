"""What session pages show: formatted moments, tags, macro-ready rows and the viewer's decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gpvoice.core.formats import short_when, when
from gpvoice.core.markdown import render

from .models import HOLDING, Booking, BookingStatus, Session, SessionStatus

TAGS = {
    BookingStatus.BOOKED: "nhsuk-tag--green",
    BookingStatus.OFFERED: "nhsuk-tag--yellow",
    BookingStatus.WAITING: "nhsuk-tag--blue",
}


def places_text(session: Session, waiting: int | None = None) -> str:
    if session.status == SessionStatus.CANCELLED:
        return "Cancelled"
    left = session.capacity - session.booked
    text = f"{left} of {session.capacity} places left" if left else f"Full ({session.capacity} places)"
    if waiting:
        text += f", {waiting} waiting"
    return text


def list_row(session: Session) -> dict[str, Any]:
    return {
        "title": session.title,
        "href": reverse("events:detail", args=[session.group.slug, session.pk]),
        "kind": session.get_kind_display(),
        "when": short_when(session.starts_at),
        "places": places_text(session),
    }


def summary(session: Session, waiting: int) -> list[dict[str, Any]]:
    end = timezone.localtime(session.ends_at).strftime("%H:%M")
    rows = [
        ("Kind", session.get_kind_display()),
        ("When", f"{when(session.starts_at)} to {end}"),
        ("Place", session.place or "Not set"),
        ("Joining link", session.link or "None"),
        ("Places", places_text(session, waiting)),
        ("Who may book", session.get_audience_display()),
        ("Booking", f"Opens {when(session.opens_at)}, closes {when(session.closes_at)}"),
        ("Giving up a place", f"Until {when(session.cancel_by)}"),
        ("When a place comes free", session.get_wait_mode_display()),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def description(session: Session) -> Any:
    return render(session.description) if session.description else ""


@dataclass(frozen=True)
class Viewer:
    """What the viewer may do on the session page, and what their booking says."""

    state: str = ""
    can_book: bool = False
    can_cancel: bool = False
    cancel_text: str = ""
    offer_href: str = ""
    refusal: str = ""


def viewer(
    session: Session, mine: Booking | None, *, ahead: int, refusal: str, now: datetime | None = None
) -> Viewer:
    now = now or timezone.now()
    if mine is not None:
        started = now >= session.starts_at
        holding = mine.status in HOLDING
        cancel = not started and (not holding or now < session.cancel_by)
        state = {
            BookingStatus.BOOKED: "You have a place on this session.",
            BookingStatus.OFFERED: (
                f"A place is offered to you until {when(mine.offer_expires_at)}: see your email."
            ),
            BookingStatus.WAITING: f"You are on the waiting list: {ahead} ahead of you.",
        }[BookingStatus(mine.status)]
        text = "Give up my place" if holding else "Leave the waiting list"
        return Viewer(state=state, can_cancel=cancel, cancel_text=text)
    is_open = session.status == SessionStatus.SCHEDULED and session.opens_at <= now < session.closes_at
    if session.status == SessionStatus.CANCELLED:
        refusal = "This session is cancelled."
    elif now < session.opens_at:
        refusal = refusal or f"Booking opens on {when(session.opens_at)}."
    elif not is_open:
        refusal = "Booking has closed."
    return Viewer(can_book=is_open and not refusal, refusal=refusal)


def booking_rows(bookings: list[Booking]) -> list[dict[str, Any]]:
    rows = []
    for b in bookings:
        rows.append(
            {
                "pk": b.pk,
                "name": b.person.full_name if b.person else (b.user.full_name or b.user.email),
                "email": b.user.email,
                "position": b.position,
                "status": b.get_status_display(),
                "tag": TAGS.get(BookingStatus(b.status), "nhsuk-tag--grey"),
                "live": b.status in (*HOLDING, BookingStatus.WAITING),
                "booked": b.status == BookingStatus.BOOKED,
                "attended": bool(b.attended),
                "when": short_when(b.created_at),
            }
        )
    return rows


CSV_HEAD = ["Position", "Name", "Email", "Status", "Asked at", "Booked at", "Attended"]


def csv_row(b: Booking) -> list[str]:
    name = b.person.full_name if b.person else (b.user.full_name or b.user.email)
    attended = "" if b.attended is None else ("Yes" if b.attended else "No")
    return [
        str(b.position),
        name,
        b.user.email,
        b.get_status_display(),
        short_when(b.created_at),
        short_when(b.booked_at),
        attended,
    ]


def share_link(session: Session) -> str:
    """The page to send to "anyone with the link" (only for such sessions)."""
    from django.conf import settings

    from .tokens import session_token

    if session.audience != "link":
        return ""
    return str(getattr(settings, "SITE_URL", "")).rstrip("/") + reverse(
        "events:link", args=[session_token(session)]
    )


def offer_open(booking: Booking, stamp: str) -> bool:
    current = booking.offered_at.isoformat() if booking.offered_at else None
    expires = booking.offer_expires_at
    return (
        booking.status == BookingStatus.OFFERED
        and current == stamp
        and (expires is None or timezone.now() < expires)
    )


def offer_until(booking: Booking) -> str:
    return when(booking.offer_expires_at)


def can_mark(session: Session, now: datetime | None = None) -> bool:
    """Attendance is taken on the day of the session or after it."""
    return timezone.localdate(now or timezone.now()) >= timezone.localdate(session.starts_at)


def error_href(doing: str, rows: list[dict[str, Any]], *, marking: bool) -> str:
    """Where an error summary on the bookings page leads: the field the refused form was about."""
    if doing == "mark" and not marking:
        return "#bookings"
    field = "attended" if doing == "mark" else "remove"
    first = next((r for r in rows if (r["booked"] if field == "attended" else r["live"])), None)
    return f"#{field}-{first['pk']}" if first else "#bookings"
