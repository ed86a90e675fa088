"""Meetings at a glance (issue 18): overdue actions and upcoming meetings on the dashboard, the
decisions that named a practice on its record, and the year's meetings in the annual report."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import glance
from gpvoice.core.formats import day, when
from gpvoice.core.glance import Section, Table
from gpvoice.core.models import LeadershipGroup

from . import selectors
from .models import Meeting, MeetingDecision, MeetingStatus

SHOWN = 5


def actions_tile(group: LeadershipGroup) -> Section:
    today = timezone.localdate()
    overdue = selectors.open_actions(group=group).filter(due_on__lt=today)
    counts = selectors.open_actions(group=group).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    rows = [[day(a.due_on), a.description, a.owner.full_name] for a in overdue[:SHOWN]]
    return Section(
        key="actions",
        title="Overdue actions",
        summary=[("Open actions", f"{counts['open']:,}"), ("Overdue", f"{counts['overdue']:,}")],
        table=Table(head=["Due", "Action", "Owner"], rows=rows, caption="The longest overdue")
        if rows
        else None,
        href=reverse("meetings:list", args=[group.slug]),
        href_text="Meetings and their actions",
    )


def meetings_tile(group: LeadershipGroup) -> Section:
    upcoming = (
        selectors.meetings_for(group=group)
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")[:SHOWN]
    )
    rows = [[when(m.starts_at), m.title, m.get_body_display()] for m in upcoming]
    return Section(
        key="meetings",
        title="Upcoming meetings",
        summary=[] if rows else [("Upcoming meetings", "None called yet")],
        table=Table(head=["When", "Meeting", "Body"], rows=rows, caption="The next meetings")
        if rows
        else None,
        href=reverse("meetings:list", args=[group.slug]),
        href_text="Every meeting",
    )


def practice_decisions(group: LeadershipGroup, practice: Any) -> Section | None:
    """The group's recorded decisions on agenda items about this practice (the latest 20)."""
    found = list(
        MeetingDecision.objects.filter(
            item__meeting__group=group,
            item__organisation=practice,
            item__meeting__minutes_approved_at__isnull=False,
        )
        .select_related("item__meeting")
        .order_by("-created_at", "-pk")[:20]
    )
    if not found:
        return None
    return Section(
        key="decisions",
        title="Decisions of the group that named the practice",
        table=Table(
            head=["Meeting", "Item", "Decision"],
            rows=[
                [f"{d.item.meeting.title} ({day(d.item.meeting.starts_at)})", d.item.title, d.text]
                for d in found
            ],
        ),
    )


def meetings_year(group: LeadershipGroup, start: date, end: date) -> Section | None:
    held = Meeting.objects.filter(group=group, starts_at__date__gte=start, starts_at__date__lt=end)
    counts = held.aggregate(
        held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
    )
    decisions = MeetingDecision.objects.filter(item__meeting__in=held).count()
    if not (counts["held"] or counts["cancelled"]):
        return None
    return Section(
        key="meetings",
        title="Meetings",
        summary=[
            ("Meetings held", f"{counts['held']:,}"),
            ("Meetings cancelled", f"{counts['cancelled']:,}"),
            ("Decisions recorded", f"{decisions:,}"),
        ],
    )


def register() -> None:
    glance.register_dashboard("actions", actions_tile, order=30)
    glance.register_dashboard("meetings", meetings_tile, order=40)
    glance.register_practice_record("decisions", practice_decisions, order=40)
    glance.register_annual_report("meetings", meetings_year, order=60)
