"""Representation's sections of the glance pages (core.glance): the officers' dashboard, the public
page (published positions; who represents general practice, named only with consent) and the annual
report. Each runs a fixed number of queries and shows a bounded table."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import glance
from gpvoice.core.formats import day
from gpvoice.core.models import LeadershipGroup

from . import selectors
from .models import Forum, Holder, Position, PositionStatus, Seat

SHOWN = 20
# Positions whose review date falls within this many days (or has passed) are due for review.
REVIEW_AHEAD_DAYS = 30


def dashboard(group: LeadershipGroup) -> glance.Section | None:
    if not Forum.objects.filter(group=group).exists():
        return None
    counts = selectors.coverage_counts(group=group)
    summary = [
        ("Seats without a representative", str(counts["no_representative"])),
        ("Seats without a deputy", str(counts["no_deputy"])),
        ("Briefings missing", str(counts["missing_briefings"])),
        ("Report-backs overdue", str(counts["overdue_reports"])),
        ("Terms ending within three months", str(counts["terms_ending"])),
    ]
    return glance.Section(
        key="representation",
        title="Representation",
        summary=summary,
        href=reverse("representation:coverage", args=[group.slug]),
        href_text="Coverage of seats, briefings and report-backs",
        data=counts,
    )


def positions(group: LeadershipGroup) -> glance.Section | None:
    rows = list(selectors.published_positions(group=group)[:SHOWN])
    if not rows:
        return None
    return glance.Section(
        key="positions",
        title="Positions",
        table=glance.Table(
            head=["Topic", "Position", "Basis", "Agreed"],
            rows=[[p.topic, p.statement, p.basis_label, day(p.agreed_on)] for p in rows],
            caption="The agreed positions of general practice",
        ),
        data={
            "positions": [
                {"topic": p.topic, "statement": p.statement, "basis": p.basis_label, "agreed_on": p.agreed_on}
                for p in rows
            ]
        },
    )


def representatives(group: LeadershipGroup) -> glance.Section | None:
    seats = list(
        Seat.objects.filter(forum__group=group)
        .select_related("forum")
        .order_by("forum__name", "title")[:SHOWN]
    )
    if not seats:
        return None
    held = selectors.holders(seats=seats)
    rows = []
    for seat in seats:
        rep = held[seat.pk].get(Holder.REPRESENTATIVE)
        name = rep.person.full_name if rep and rep.name_public else ("Not named" if rep else "Vacant")
        rows.append([seat.forum.name, seat.title, name])
    return glance.Section(
        key="representatives",
        title="Who represents general practice",
        table=glance.Table(head=["Forum", "Seat", "Representative"], rows=rows),
        data={"seats": [{"forum": r[0], "seat": r[1], "representative": r[2]} for r in rows]},
    )


def year(group: LeadershipGroup, start: date, end: date) -> glance.Section | None:
    today = timezone.localdate()
    when = Q(
        meetings__on__gte=start, meetings__on__lt=end, meetings__on__lte=today, meetings__cancelled=False
    )
    forums = list(
        Forum.objects.filter(group=group)
        .annotate(
            held=Count("meetings", filter=when),
            briefed=Count("meetings__briefing", filter=when),
            reported=Count("meetings__report", filter=when),
            attended=Count("meetings__report", filter=when & Q(meetings__report__attended=True)),
        )
        .order_by("name")[:SHOWN]
    )
    if not any(f.held for f in forums):
        return None
    totals = {k: sum(getattr(f, k) for f in forums) for k in ("held", "attended", "briefed", "reported")}
    return glance.Section(
        key="representation",
        title="Representation",
        summary=[
            ("System meetings held", str(totals["held"])),
            ("Attended", str(totals["attended"])),
            ("Briefed beforehand", str(totals["briefed"])),
            ("Reported back", str(totals["reported"])),
        ],
        table=glance.Table(
            head=["Forum", "Held", "Attended", "Briefed", "Reported back"],
            rows=[
                [f.name, *(str(getattr(f, k)) for k in ("held", "attended", "briefed", "reported"))]
                for f in forums
            ],
        ),
        data={"totals": totals},
    )


def positions_due(group: LeadershipGroup) -> glance.Section | None:
    """Positions still standing (current or under review) whose review date has passed or falls
    within REVIEW_AHEAD_DAYS: the nearest first, at most SHOWN, and how many in all."""
    today = timezone.localdate()
    due = Position.objects.filter(
        group=group,
        status__in=[PositionStatus.CURRENT, PositionStatus.UNDER_REVIEW],
        review_on__lte=today + timedelta(days=REVIEW_AHEAD_DAYS),
    )
    rows = list(due.order_by("review_on", "pk")[:SHOWN])
    if not rows:
        return None
    total = due.count() if len(rows) == SHOWN else len(rows)
    return glance.Section(
        key="positions_due",
        title="Positions due for review",
        summary=[
            ("Past their review date", str(sum(p.review_on < today for p in rows))),
            (f"Due within {REVIEW_AHEAD_DAYS} days or past", str(total)),
        ],
        table=glance.Table(
            head=["Topic", "Review by", "Status"],
            rows=[
                [
                    p.topic,
                    day(p.review_on) + (" (past)" if p.review_on < today else ""),
                    p.get_status_display(),
                ]
                for p in rows
            ],
            caption="Positions to review, nearest first",
        ),
        href=reverse("representation:positions", args=[group.slug]),
        href_text="The positions register",
        data={
            "due": [{"topic": p.topic, "review_on": p.review_on.isoformat()} for p in rows],
            "total": total,
        },
    )


def _review_by(review_on: date, today: date) -> str:
    return day(review_on) + (" (past)" if review_on < today else "")


glance.register_dashboard("representation", dashboard, order=40)
glance.register_dashboard("positions_due", positions_due, order=45)
glance.register_public("positions", positions, order=30)
glance.register_public("representatives", representatives, order=35)
glance.register_annual_report("representation", year, order=40)
