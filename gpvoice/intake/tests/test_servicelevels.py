from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpvoice.core.exports import csv_safe
from gpvoice.intake.servicelevels import Row, answered_within, median, monthly, standing


def t(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour)


def test_answered_on_the_due_date_is_within_and_a_day_later_is_not():
    due = date(2027, 3, 10)
    assert answered_within(Row(t(1), None, t(10, 17), due))
    assert not answered_within(Row(t(1), None, t(11, 8), due))
    assert not answered_within(Row(t(1), None, None, due))


def test_monthly_figures_by_hand():
    rows = [
        Row(t(1), t(1, 11), t(3), date(2027, 3, 5)),  # first response 2h, answer 2 days, within
        Row(t(2), t(2, 13), t(9), date(2027, 3, 5)),  # 4h, 7 days, late
        Row(t(3), None, None, date(2027, 3, 8)),  # open
        Row(t(1, month=4), t(1, 10, month=4), None, None),
    ]
    march, april = monthly(rows)
    assert (march.month, march.received, march.answered, march.answered_within) == ("2027-03", 3, 2, 1)
    assert march.median_first_response == timedelta(hours=3)  # the mean of 2h and 4h
    assert march.median_answer == timedelta(days=4, hours=12)
    assert (april.received, april.answered, april.median_answer) == (1, 0, None)


def test_median_of_an_odd_count_is_the_middle():
    assert median([timedelta(hours=h) for h in (5, 1, 3)]) == timedelta(hours=3)


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1))
def test_median_lies_between_the_extremes(minutes):
    values = [timedelta(minutes=m) for m in minutes]
    assert min(values) <= median(values) <= max(values)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 3, 12), "breached"),  # the day after the due date
        (date(2027, 3, 11), "at risk"),  # the due date itself
        (date(2027, 3, 9), "at risk"),  # Tue → Thu: two working days to go
        (date(2027, 3, 8), "on track"),  # Mon: three working days to go
    ],
)
def test_standing_at_its_boundaries(today, expected):
    assert standing(date(2027, 3, 11), today, warn_days=2) == expected


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Plain", "Plain"),
        (None, ""),
        (5, "5"),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(cell, safe):
    assert csv_safe(cell) == safe
