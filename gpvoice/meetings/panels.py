"""What meetings shows on a group's home page: the next meeting, and the member's overdue actions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gpvoice.core.formats import day, when
from gpvoice.core.panels import register
from gpvoice.directory.me import me

from . import selectors
from .models import MeetingStatus

SHOWN = 5


@register(shared=True)
def meetings_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    links = [("Meetings", reverse("meetings:list", args=[group.slug]))]
    upcoming = (
        selectors.meetings_for(group=group)
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    lines = [f"Next: {upcoming.title}, {when(upcoming.starts_at)}."] if upcoming else ["No meeting planned."]
    if upcoming:
        links.insert(0, (upcoming.title, reverse("meetings:detail", args=[group.slug, upcoming.pk])))
    return {"title": "Meetings", "lines": lines, "links": links}


@register
def overdue_actions_panel(request: HttpRequest) -> dict[str, Any] | None:
    if me(request).person_id is None:
        return None  # actions are owned by a person
    group = request.group  # type: ignore[attr-defined]
    overdue = list(selectors.overdue_actions_of(user=request.user, group=group)[: SHOWN + 1])
    if not overdue:
        return None
    lines = [f"{a.description}: was due {day(a.due_on)}." for a in overdue[:SHOWN]]
    if len(overdue) > SHOWN:
        lines.append("And more: see the meetings page.")
    links = [
        (f"Update “{a.description[:60]}”", reverse("meetings:detail", args=[group.slug, a.item.meeting_id]))
        for a in overdue[:SHOWN]
    ]
    return {"title": "Your overdue actions", "lines": lines, "links": links, "warning": True}
