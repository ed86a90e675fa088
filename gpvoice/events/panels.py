"""What sessions show on a group's home page: the next sessions, and the member's to-dos."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import todo
from gpvoice.core.formats import when
from gpvoice.core.panels import register

from . import presenters, selectors, tokens
from .models import Booking, BookingStatus, SessionStatus

SHOWN = 3


@register(shared=True)
def sessions_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    upcoming = list(selectors.upcoming_for(group=group)[:SHOWN])
    lines = [f"{s.title}, {when(s.starts_at)}: {presenters.places_text(s).lower()}." for s in upcoming]
    links = [(s.title, reverse("events:detail", args=[group.slug, s.pk])) for s in upcoming]
    links.append(("All sessions", reverse("events:list", args=[group.slug])))
    return {"title": "Sessions", "lines": lines or ["No sessions coming up."], "links": links}


@todo.register
def sessions_to_do(request: HttpRequest) -> list[todo.Todo]:
    """An offered place to accept, and a session booked for tomorrow. One query whatever their number."""
    group = request.group  # type: ignore[attr-defined]
    now = timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    mine = (
        Booking.objects.filter(
            session__group=group,
            session__status=SessionStatus.SCHEDULED,
            user_id=request.user.pk or 0,
            session__starts_at__gte=now,
        )
        .filter(status__in=[BookingStatus.OFFERED, BookingStatus.BOOKED])
        .select_related("session__group")
        .order_by("session__starts_at")[:10]
    )
    found = []
    for b in mine:
        s = b.session
        if b.status == BookingStatus.OFFERED and b.offer_expires_at and b.offer_expires_at > now:
            href = reverse("events:offer", args=[tokens.offer_token(b)])
            found.append(
                todo.Todo(
                    text=f"Accept or decline the place offered on “{s.title}”",
                    href=href,
                    due=b.offer_expires_at,
                )
            )
        elif b.status == BookingStatus.BOOKED and timezone.localdate(s.starts_at) == tomorrow:
            href = reverse("events:detail", args=[group.slug, s.pk])
            found.append(
                todo.Todo(text=f"“{s.title}” is tomorrow, {when(s.starts_at)}", href=href, due=s.starts_at)
            )
    return found
