"""iCalendar invitations for sessions (RFC 5545, with the ``icalendar`` package)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Session, SessionStatus

PRODID = "-//GP Voice//Sessions//EN"


def uid(session: Session) -> str:
    """Stable across changes, so a calendar updates (or cancels) the event it already holds."""
    return f"session-{session.pk}@{getattr(settings, 'CALENDAR_UID_DOMAIN', 'gpvoice')}"


def invitation(session: Session, *, cancel: bool = False) -> str:
    """One session as an emailed invitation (REQUEST), or its cancellation for one person (CANCEL)."""
    cancelled = cancel or session.status == SessionStatus.CANCELLED
    event = Event()
    event.add("uid", uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.title} ({session.group.name})")
    event.add("sequence", session.sequence)
    if session.place:
        event.add("location", session.place)
    if session.link:
        event.add("url", session.link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    cal.add_component(event)
    return str(cal.to_ical().decode())
