"""How dates and times are written for people, in pages, emails and presenters alike."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def when(value: datetime | None) -> str:
    """A date and time in the local zone, as people write it: 14 January 2027 at 17:00."""
    return timezone.localtime(value).strftime("%d %B %Y at %H:%M") if value else ""


def _local(value: date) -> date:
    return timezone.localtime(value) if isinstance(value, datetime) else value


def day(value: date | None) -> str:
    """A day as people write it (a moment is taken in the local zone first): 14 January 2027."""
    return _local(value).strftime("%d %B %Y") if value else ""


def short_day(value: date | None) -> str:
    """A day in a table's narrow column: 14 Jan 2027."""
    return _local(value).strftime("%d %b %Y") if value else ""


def short_when(value: datetime | None) -> str:
    """A moment in a table's narrow column, in the local zone: 14 Jan 2027 17:00."""
    return timezone.localtime(value).strftime("%d %b %Y %H:%M") if value else ""
