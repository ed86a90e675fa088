"""What representation offers the group's agenda: report-backs filed since the last meeting, to note."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.urls import reverse

from gpvoice.core import agenda
from gpvoice.core.formats import day
from gpvoice.core.models import LeadershipGroup

from . import selectors, services

SOURCE = "representation.report"
LIMIT = 100


def report_backs(group: LeadershipGroup, since: datetime | None) -> Iterable[agenda.Offer]:
    rows = selectors.reports_for(group=group).filter(noted_at__isnull=True)
    if since is not None:
        rows = rows.filter(filed_at__gte=since)
    for report in rows[:LIMIT]:
        meeting = report.meeting
        yield agenda.Offer(
            source=SOURCE,
            ref=str(report.pk),
            title=f"Report-back: {meeting.forum.name}, {day(meeting.on)}",
            href=reverse("representation:meeting", args=[group.slug, meeting.pk]),
            heading="Reports from system meetings",
            notable=True,
            organisation_id=meeting.forum.organiser_id,
        )


def note(group: LeadershipGroup, ref: str, actor: Any) -> None:
    try:
        services.report_back_note(group=group, ref=ref, actor=actor)
    except services.RepresentationError as refusal:
        raise agenda.AgendaRefused(str(refusal)) from refusal


agenda.register(SOURCE, report_backs, note=note)
