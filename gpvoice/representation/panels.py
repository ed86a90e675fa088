"""Representation on a group's home: a panel linking its pages, and the representative's to-dos
(a briefing to read, a report-back due)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import panels, todo
from gpvoice.core.formats import day
from gpvoice.directory.me import me

from . import selectors

SHOWN = 5


def _end_of(on: Any) -> datetime:
    return timezone.make_aware(datetime.combine(on, time(23, 59)))


@panels.register(shared=True)
def representation_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    links = [
        ("Forums and representatives", reverse("representation:home", args=[group.slug])),
        ("Positions of general practice", reverse("representation:positions", args=[group.slug])),
    ]
    lines = ["Who speaks for general practice at system meetings."]
    latest = selectors.reports_for(group=group).first()
    if latest is not None:
        meeting = latest.meeting
        lines.append(f"Latest report-back: {meeting.forum.name}, {day(meeting.on)}.")
        href = reverse("representation:meeting", args=[group.slug, meeting.pk])
        links.insert(0, ("Read the latest report-back", href))
    return {"title": "Representation", "lines": lines, "links": links}


@todo.register
def representation_todo(request: HttpRequest) -> list[todo.Todo]:
    if me(request).person_id is None:
        return []  # briefings and seats are a person's
    group = request.group  # type: ignore[attr-defined]
    user = request.user
    found = [
        todo.Todo(
            text=f"Read your briefing for {b.meeting.forum.name} on {day(b.meeting.on)}",
            href=reverse("representation:meeting", args=[group.slug, b.meeting_id]),
            due=_end_of(b.meeting.on),
        )
        for b in selectors.briefings_to_read(user=user, group=group).order_by("meeting__on")[:SHOWN]
    ]
    found += [
        todo.Todo(
            text=f"File your report-back from {m.forum.name} on {day(m.on)}",
            href=reverse("representation:report", args=[group.slug, m.pk]),
            due=_end_of(m.report_due_on),
        )
        for m in selectors.reports_due_of(user=user, group=group).order_by("report_due_on")[:SHOWN]
    ]
    return found
