"""Service-level figures. Pure functions over plain values: no database, no clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from . import workdays


@dataclass(frozen=True)
class Row:
    received_at: datetime
    first_response_at: datetime | None
    answered_at: datetime | None
    due_on: date | None


# Working days to a first response or an answer are counted exactly up to DAYS_KEPT; the slot after
# it counts every request that took longer. A median that falls there is "more than DAYS_KEPT".
DAYS_KEPT = 60
SLOTS = DAYS_KEPT + 2


@dataclass(frozen=True)
class Share:
    """What one received request adds to the figures of the month it was received in."""

    month: date  # the first day of the month
    first_days: int | None  # working days to the first response, None before one
    answer_days: int | None  # working days to the answer, None while unanswered
    in_time: bool


@dataclass
class Tally:
    """One month's figures: counts, and how many requests took each number of working days."""

    received: int = 0
    first_responded: int = 0
    answered: int = 0
    answered_in_time: int = 0
    first_response_days: list[int] = field(default_factory=lambda: [0] * SLOTS)
    answer_days: list[int] = field(default_factory=lambda: [0] * SLOTS)

    def add(self, share: Share, sign: int = 1) -> None:
        self.received += sign
        self.answered_in_time += sign * share.in_time
        if share.first_days is not None:
            self.first_responded += sign
            self.first_response_days[slot(share.first_days)] += sign
        if share.answer_days is not None:
            self.answered += sign
            self.answer_days[slot(share.answer_days)] += sign

    def is_empty(self) -> bool:
        return self == Tally()


@dataclass(frozen=True)
class Month:
    month: str  # "2027-03"
    received: int
    answered: int
    answered_within: int
    median_first_response: float | None  # working days; above DAYS_KEPT means "more than DAYS_KEPT"
    median_answer: float | None


def slot(days: int) -> int:
    return min(days, DAYS_KEPT + 1)


def median_days(counts: list[int]) -> float | None:
    """The median of the working days counted in ``counts`` (``counts[d]`` requests took ``d``
    days): the middle one, or the mean of the two middle ones for an even count; None for none."""
    total = sum(counts)
    if total <= 0:
        return None
    wanted = [(total - 1) // 2, total // 2]  # 0-based positions in the sorted days
    found: list[int] = []
    seen = 0
    for days, count in enumerate(counts):
        seen += count
        while wanted and wanted[0] < seen:
            found.append(days)
            wanted.pop(0)
        if not wanted:
            break
    return (found[0] + found[1]) / 2


def answered_within(row: Row, answered_on: date | None = None) -> bool:
    """Answered on or before the due date (a request without a due date has no service level to miss)."""
    if row.answered_at is None:
        return False
    day = answered_on or row.answered_at.date()
    return row.due_on is None or day <= row.due_on


def share_of(row: Row, to_day: Callable[[datetime], date]) -> Share:
    """The request's share of its month: working days counted between local dates (the day of
    receipt itself never counts; time spent waiting on the requester is included)."""
    received = to_day(row.received_at)

    def days(at: datetime | None) -> int | None:
        return (
            None if at is None else workdays.working_days_between(received, to_day(at), limit=DAYS_KEPT + 1)
        )

    answered_on = to_day(row.answered_at) if row.answered_at else None
    return Share(
        month=received.replace(day=1),
        first_days=days(row.first_response_at),
        answer_days=days(row.answered_at),
        in_time=answered_within(row, answered_on),
    )


def monthly(
    rows: Iterable[Row], *, local_date: Callable[[datetime], date] | None = None
) -> dict[date, Tally]:
    """Recount: every month's figures from the rows themselves."""
    to_day = local_date or (lambda at: at.date())
    months: dict[date, Tally] = {}
    for row in rows:
        share = share_of(row, to_day)
        months.setdefault(share.month, Tally()).add(share)
    return months


def month_of(month: date, tally: Tally) -> Month:
    return Month(
        month=f"{month:%Y-%m}",
        received=tally.received,
        answered=tally.answered,
        answered_within=tally.answered_in_time,
        median_first_response=median_days(tally.first_response_days),
        median_answer=median_days(tally.answer_days),
    )


def standing(due_on: date | None, today: date, warn_days: int) -> str:
    """'breached' after the due date, 'at risk' within ``warn_days`` working days of it, else 'on track'."""
    if due_on is None:
        return "no due date"
    if today > due_on:
        return "breached"
    if workdays.working_days_between(today, due_on) <= warn_days:
        return "at risk"
    return "on track"


def days_text(value: float | None) -> str:
    if value is None:
        return "–"
    if value > DAYS_KEPT:
        return f"more than {DAYS_KEPT} working days"
    shown = f"{value:g}"
    return f"{shown} working day" + ("" if value == 1 else "s")
