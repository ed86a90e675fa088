import statistics
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpvoice.core.exports import csv_safe
from gpvoice.intake.servicelevels import (
    DAYS_KEPT,
    SLOTS,
    Row,
    Tally,
    answered_within,
    days_text,
    median_days,
    month_of,
    monthly,
    share_of,
    slot,
    standing,
)


def t(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour)


def test_answered_on_the_due_date_is_within_and_a_day_later_is_not():
    due = date(2027, 3, 10)
    assert answered_within(Row(t(1), None, t(10, 17), due))
    assert not answered_within(Row(t(1), None, t(11, 8), due))
    assert not answered_within(Row(t(1), None, None, due))


def test_monthly_figures_by_hand():
    # 1 March 2027 is a Monday; working days after the day of receipt, up to the day answered.
    rows = [
        Row(t(1), t(1, 11), t(3), date(2027, 3, 5)),  # first response day 0, answered Wed: 2, within
        Row(t(2), t(4, 13), t(9), date(2027, 3, 5)),  # first Thu: 2; answered Tue 9th: 5 (3,4,5,8,9), late
        Row(t(3), None, None, date(2027, 3, 8)),  # open
        Row(t(1, month=4), t(1, 10, month=4), None, None),
    ]
    figures = monthly(rows)
    march, april = (month_of(m, figures[m]) for m in sorted(figures))
    assert (march.month, march.received, march.answered, march.answered_within) == ("2027-03", 3, 2, 1)
    assert march.median_first_response == 1  # an even count: halfway between 0 and 2
    assert march.median_answer == 3.5  # halfway between 2 and 5
    assert (april.month, april.received, april.answered, april.median_answer) == ("2027-04", 1, 0, None)
    assert april.median_first_response == 0


def test_answered_on_the_due_day_counts_in_time_and_a_day_later_does_not():
    due = date(2027, 3, 10)  # Wednesday
    on_time = monthly([Row(t(1), None, t(10, 23), due)])[date(2027, 3, 1)]
    late = monthly([Row(t(1), None, t(11, 0), due)])[date(2027, 3, 1)]
    assert (on_time.answered, on_time.answered_in_time) == (1, 1)
    assert (late.answered, late.answered_in_time) == (1, 0)
    assert median_days(on_time.answer_days) == 7 and median_days(late.answer_days) == 8


def test_a_request_without_a_due_date_has_no_service_level_to_miss():
    assert monthly([Row(t(1), None, t(31), None)])[date(2027, 3, 1)].answered_in_time == 1


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], None),
        ([4], 4),
        ([1, 3], 2),  # even: the mean of the middle two
        ([1, 2, 2, 9], 2),
        ([0, 0, 1, 1], 0.5),
        ([5, 1, 3], 3),
        ([DAYS_KEPT, DAYS_KEPT], DAYS_KEPT),  # the last exact count
        ([DAYS_KEPT, DAYS_KEPT + 1], DAYS_KEPT + 0.5),  # half beyond the bound: "more than"
    ],
)
def test_median_days_by_hand(days, expected):
    counts = [0] * SLOTS
    for d in days:
        counts[slot(d)] += 1
    assert median_days(counts) == expected


def test_days_beyond_the_bound_share_the_last_slot_and_read_as_more_than():
    assert slot(DAYS_KEPT) == DAYS_KEPT and slot(DAYS_KEPT + 1) == slot(500) == DAYS_KEPT + 1
    assert days_text(DAYS_KEPT + 0.5) == f"more than {DAYS_KEPT} working days"
    assert days_text(DAYS_KEPT) == f"{DAYS_KEPT} working days"
    assert (days_text(1), days_text(2.5), days_text(None)) == ("1 working day", "2.5 working days", "–")


@given(st.lists(st.integers(min_value=0, max_value=DAYS_KEPT), min_size=1))
def test_the_kept_median_is_the_median_of_the_days(days):
    counts = [0] * SLOTS
    for d in days:
        counts[slot(d)] += 1
    assert median_days(counts) == statistics.median(days)


@given(st.lists(st.integers(min_value=0, max_value=100)), st.integers(min_value=0, max_value=100))
def test_adding_then_taking_away_a_share_leaves_the_tally_as_it_was(days, extra):
    to_day = lambda at: at.date()  # noqa: E731
    rows = [Row(t(1), t(1), datetime(2027, 3, 1) + timedelta(days=d), None) for d in days]
    tally = monthly(rows).get(date(2027, 3, 1), Tally())
    before = Tally(**{k: (list(v) if isinstance(v, list) else v) for k, v in vars(tally).items()})
    share = share_of(Row(t(1), None, datetime(2027, 3, 1) + timedelta(days=extra), date(2027, 3, 9)), to_day)
    tally.add(share)
    tally.add(share, -1)
    assert tally == before


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
