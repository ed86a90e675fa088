"""The service-level report: open requests against their due dates, and the kept monthly figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup

from . import conf, kept, presenters, selectors, servicelevels, workdays
from .models import AccessRequest, Status


@dataclass(frozen=True)
class Report:
    open_total: int
    breached: int
    at_risk: int
    months: list[servicelevels.Month]


MONTH_HEADER = [
    "month",
    "received",
    "answered",
    "answered within service level",
    "median working days to first response",
    "median working days to answer",
]


def _days(value: float | None) -> str:
    if value is None:
        return ""
    return f"more than {servicelevels.DAYS_KEPT}" if value > servicelevels.DAYS_KEPT else f"{value:g}"


def month_cells(report: Report) -> list[list[object]]:
    return [
        [
            m.month,
            m.received,
            m.answered,
            m.answered_within,
            _days(m.median_first_response),
            _days(m.median_answer),
        ]
        for m in report.months
    ]


def open_row(r: AccessRequest, today: date) -> dict[str, Any]:
    received = timezone.localdate(r.received_at) if r.received_at else today
    return {
        "reference": r.reference,
        "subject": r.subject,
        "status": r.get_status_display(),
        "age": (today - received).days,
        "due": presenters.day(r.due_on),
        "standing": presenters.standing(r, today),
    }


def open_by_due_date(*, group: LeadershipGroup) -> QuerySet[AccessRequest]:
    """Open requests, soonest due first (those without a due date last): for a page of them."""
    return selectors.open_requests(group=group).order_by(
        F("due_on").asc(nulls_last=True), "received_at", "pk"
    )


def service_report(*, group: LeadershipGroup, today: date) -> Report:
    """Counts of the open requests against their due dates, and the kept figures of the last
    twelve months: a fixed number of queries whatever the number of requests."""
    open_requests = selectors.open_requests(group=group)
    # At risk: due today or later, but within the warning's working days (servicelevels.standing).
    risk_ends = workdays.add_working_days(today, conf.warn_working_days() + 1)
    counts = open_requests.aggregate(
        total=Count("pk"),
        breached=Count("pk", filter=Q(due_on__lt=today)),
        at_risk=Count("pk", filter=Q(due_on__gte=today, due_on__lt=risk_ends)),
    )
    return Report(
        open_total=counts["total"],
        breached=counts["breached"],
        at_risk=counts["at_risk"],
        months=kept.last_twelve(group, today),
    )


def warn_before(today: date) -> date:
    """Requests due on or before this date get their breach warning now."""
    return workdays.add_working_days(today, conf.warn_working_days())


__all__ = ["MONTH_HEADER", "Report", "Status", "month_cells", "service_report", "warn_before"]
