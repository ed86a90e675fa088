"""What the single point of access shows at a glance (issue 18): its door on the public page, open
requests against the service level on the dashboard, a practice's requests on its record."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from gpvoice.core import glance
from gpvoice.core.glance import Bars, Section, Table
from gpvoice.core.models import LeadershipGroup

from . import reports


def door_section(group: LeadershipGroup) -> Section:
    href = reverse("intake:front_door", args=[group.slug])
    return Section(
        key="single_point_of_access",
        title="Ask the group",
        summary=[("Single point of access", "System partners send requests here; no account is needed.")],
        href=href,
        href_text="Send a request to the group",
        data={"url": href},
    )


def requests_tile(group: LeadershipGroup) -> Section:
    """Open requests against their due dates, and the kept figures of the last twelve months."""
    report = reports.service_report(group=group, today=timezone.localdate())
    months = [
        (
            m.month,
            m.answered_within / m.answered if m.answered else 0.0,
            f"{m.answered_within} of {m.answered}",
        )
        for m in report.months
    ]
    return Section(
        key="requests",
        title="Requests against the service level",
        summary=[
            ("Open requests", f"{report.open_total:,}"),
            ("Past their due date", f"{report.breached:,}"),
            ("Due within the warning period", f"{report.at_risk:,}"),
        ],
        chart=Bars(
            title="Requests answered within the service level, by month received",
            description="For each of the last twelve months: answered requests that were answered in time.",
            bars=months,
        )
        if months
        else None,
        href=reverse("intake:service_levels", args=[group.slug]),
        href_text="The service-level report",
    )


def practice_requests(group: LeadershipGroup, practice: Any) -> Section | None:
    """Requests the practice raised (its organisation on the request), latest 20: reference, subject
    and status only."""
    from .models import AccessRequest, Status

    found = list(
        AccessRequest.objects.filter(group=group, organisation=practice)
        .exclude(status=Status.UNVERIFIED)
        .order_by("-created_at", "-pk")[:20]
    )
    if not found:
        return None
    return Section(
        key="requests",
        title="Requests it raised",
        table=Table(
            head=["Reference", "Subject", "Status"],
            rows=[[r.reference, r.subject, r.get_status_display()] for r in found],
        ),
    )


def register() -> None:
    glance.register_public("single_point_of_access", door_section, order=90)
    glance.register_dashboard("requests", requests_tile, order=20)
    glance.register_practice_record("requests", practice_requests, order=30)
