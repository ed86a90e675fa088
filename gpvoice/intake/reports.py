"""The service-level report: open requests against their due dates, and the monthly figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from gpvoice.core.models import LeadershipGroup

from . import conf, presenters, selectors, servicelevels
from .models import AccessRequest, Status


@dataclass(frozen=True)
class Report:
    open_rows: list[dict[str, Any]]
    breached: list[dict[str, Any]]
    at_risk: list[dict[str, Any]]
    months: list[servicelevels.Month]


MONTH_HEADER = [
    "month",
    "received",
    "answered",
    "answered within service level",
    "median time to first response (hours)",
    "median time to answer (hours)",
]


def _hours(value: timedelta | None) -> str:
    return "" if value is None else f"{value.total_seconds() / 3600:.1f}"


def month_cells(report: Report) -> list[list[object]]:
    return [
        [
            m.month,
            m.received,
            m.answered,
            m.answered_within,
            _hours(m.median_first_response),
            _hours(m.median_answer),
        ]
        for m in report.months
    ]


def _row(r: AccessRequest, today: date) -> dict[str, Any]:
    received = timezone.localdate(r.received_at) if r.received_at else today
    return {
        "reference": r.reference,
        "subject": r.subject,
        "status": r.get_status_display(),
        "age": (today - received).days,
        "due": presenters.day(r.due_on),
        "standing": presenters.standing(r, today),
    }


def service_report(*, group: LeadershipGroup, today: date) -> Report:
    open_requests = list(selectors.open_requests(group=group).order_by("due_on", "received_at", "pk"))
    rows = [_row(r, today) for r in open_requests]
    since = timezone.now() - timedelta(days=366)
    months = servicelevels.monthly(
        (
            servicelevels.Row(r.received_at, r.first_response_at, r.answered_at, r.due_on)
            for r in selectors.monthly_rows(group=group).filter(received_at__gte=since)
            if r.received_at is not None
        ),
        local_date=timezone.localdate,
    )
    return Report(
        open_rows=rows,
        breached=[r for r in rows if r["standing"] == "breached"],
        at_risk=[r for r in rows if r["standing"] == "at risk"],
        months=months,
    )


def warn_before(today: date) -> date:
    """Requests due on or before this date get their breach warning now."""
    from . import workdays

    return workdays.add_working_days(today, conf.warn_working_days())


__all__ = ["MONTH_HEADER", "Report", "Status", "month_cells", "service_report", "warn_before"]
