"""Service-level figures. Pure functions over plain values: no database, no clock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import workdays


@dataclass(frozen=True)
class Row:
    received_at: datetime
    first_response_at: datetime | None
    answered_at: datetime | None
    due_on: date | None


@dataclass(frozen=True)
class Month:
    month: str  # "2027-03"
    received: int
    answered: int
    answered_within: int
    median_first_response: timedelta | None
    median_answer: timedelta | None


def median(values: list[timedelta]) -> timedelta:
    """The middle value (the mean of the two middle ones for an even count)."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def answered_within(row: Row, answered_on: date | None = None) -> bool:
    """Answered on or before the due date (a request without a due date has no service level to miss)."""
    if row.answered_at is None:
        return False
    day = answered_on or row.answered_at.date()
    return row.due_on is None or day <= row.due_on


def monthly(rows: Iterable[Row], *, local_date: object = None) -> list[Month]:
    """Per month received: how many, how many answered within service level, and median times."""
    to_day = local_date if callable(local_date) else (lambda at: at.date())
    by_month: dict[str, list[Row]] = {}
    for row in rows:
        by_month.setdefault(f"{to_day(row.received_at):%Y-%m}", []).append(row)
    months = []
    for key in sorted(by_month):
        group = by_month[key]
        firsts = [r.first_response_at - r.received_at for r in group if r.first_response_at]
        answers = [r.answered_at - r.received_at for r in group if r.answered_at]
        months.append(
            Month(
                month=key,
                received=len(group),
                answered=len(answers),
                answered_within=sum(
                    answered_within(r, to_day(r.answered_at) if r.answered_at else None) for r in group
                ),
                median_first_response=median(firsts) if firsts else None,
                median_answer=median(answers) if answers else None,
            )
        )
    return months


def standing(due_on: date | None, today: date, warn_days: int) -> str:
    """'breached' after the due date, 'at risk' within ``warn_days`` working days of it, else 'on track'."""
    if due_on is None:
        return "no due date"
    if today > due_on:
        return "breached"
    if workdays.working_days_between(today, due_on) <= warn_days:
        return "at risk"
    return "on track"


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return "–"
    hours = value.total_seconds() / 3600
    return f"{hours:.1f} hours" if hours < 48 else f"{hours / 24:.1f} days"
