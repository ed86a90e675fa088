"""How dates and times are written for people, in pages, emails and presenters alike."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def when(value: datetime | None) -> str:
    """A date and time in the local zone, as people write it: 14 January 2027 at 17:00."""
    return timezone.localtime(value).strftime("%d %B %Y at %H:%M") if value else ""
