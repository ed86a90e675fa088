"""Working-day arithmetic for service levels. Pure functions: no database, no clock.

Working days are Monday to Friday except the bank holidays of England (from the ``holidays``
package, never a hand-typed list). Substitute days ("Christmas Day (observed)") count as holidays.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _england(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


class EnglandBankHolidays:
    """``day in ENGLAND``: whether a date is a bank holiday in England."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in _england(day.year)


ENGLAND = EnglandBankHolidays()


def is_working_day(day: date, closed: Container[date] = ENGLAND) -> bool:
    return day.weekday() < 5 and day not in closed


def add_working_days(start: date, days: int, closed: Container[date] = ENGLAND) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts).

    A request received on Friday with one working day is due on Monday (or Tuesday when that
    Monday is a bank holiday). Zero days: due the same day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    left = days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            left -= 1
    return day


def working_days_between(
    start: date, end: date, closed: Container[date] = ENGLAND, *, limit: int | None = None
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``);
    counting stops at ``limit`` when one is given."""
    count = 0
    day = start
    while day < end and (limit is None or count < limit):
        day += timedelta(days=1)
        if is_working_day(day, closed):
            count += 1
    return count
