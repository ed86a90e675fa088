"""iCalendar for meetings (RFC 5545, with the ``icalendar`` package): feeds, invitations, cancellations."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting, MeetingStatus

PRODID = "-//GP Voice//Meetings//EN"


def uid(meeting: Meeting) -> str:
    """Stable across changes, so a calendar updates (or cancels) the event it already holds."""
    return f"meeting-{meeting.pk}@{getattr(settings, 'CALENDAR_UID_DOMAIN', 'gpvoice')}"


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", f"{meeting.title} ({meeting.group.name})")
    event.add("sequence", meeting.sequence)
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar(meetings: Iterable[Meeting], *, name: str, method: str = "") -> bytes:
    """A calendar of ``meetings``; ``method`` REQUEST or CANCEL for an emailed invitation."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    for meeting in meetings:
        cal.add_component(_event(meeting))
    return cal.to_ical()


def invitation(meeting: Meeting) -> str:
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"
    return calendar([meeting], name=meeting.group.name, method=method).decode()
