"""Priorities at a glance (issue 18): adopted priorities and their delivery on the dashboard, and the
year's adopted priorities with their delivery in the annual report."""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.urls import reverse

from gpvoice.core import glance
from gpvoice.core.formats import day
from gpvoice.core.glance import Bars, Section, Table
from gpvoice.core.models import LeadershipGroup

from . import selectors
from .models import AdoptedPriority, DeliveryStatus, Phase

YEAR_SHOWN = 50


def _by_status(priorities: object) -> dict[str, int]:
    rows = priorities.values("status").annotate(n=Count("pk")).order_by()  # type: ignore[attr-defined]
    found = {r["status"]: r["n"] for r in rows}
    return {s.label: found.get(s.value, 0) for s in DeliveryStatus}


def _bars(counts: dict[str, int]) -> Bars:
    total = sum(counts.values())
    return Bars(
        title="Adopted priorities by delivery status",
        description="How many adopted priorities are on track, at risk, delivered or paused.",
        bars=[(label, n / total if total else 0.0, f"{n}") for label, n in counts.items()],
    )


def priorities_tile(group: LeadershipGroup) -> Section | None:
    delivering = AdoptedPriority.objects.filter(round__group=group, round__phase=Phase.DELIVERY)
    counts = _by_status(delivering)
    if not sum(counts.values()):
        return None
    latest = selectors.latest_adopted(group=group)
    return Section(
        key="priorities",
        title="Priorities and their delivery",
        chart=_bars(counts),
        table=Table(
            head=["Priority", "Status", "Review"],
            rows=[[p.title, p.get_status_display(), day(p.review_date)] for p in latest],
            caption="The latest adopted priorities",
        ),
        href=reverse("priorities:list", args=[group.slug]),
        href_text="Every round of priorities",
    )


def priorities_year(group: LeadershipGroup, start: date, end: date) -> Section | None:
    adopted = AdoptedPriority.objects.filter(
        round__group=group, adopted_at__date__gte=start, adopted_at__date__lt=end
    )
    found = list(adopted.select_related("lead").order_by("adopted_at", "rank", "pk")[:YEAR_SHOWN])
    if not found:
        return None
    return Section(
        key="priorities",
        title="Priorities and their delivery",
        chart=_bars(_by_status(adopted)),
        table=Table(
            head=["Adopted", "Priority", "Lead", "Status now"],
            rows=[[day(p.adopted_at), p.title, p.lead.full_name, p.get_status_display()] for p in found],
        ),
    )


def register() -> None:
    glance.register_dashboard("priorities", priorities_tile, order=70)
    glance.register_annual_report("priorities", priorities_year, order=40)
