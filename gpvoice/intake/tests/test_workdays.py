from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpvoice.intake.workdays import ENGLAND, add_working_days, is_working_day, working_days_between


def test_bank_holidays_of_england_come_from_the_package():
    assert date(2026, 12, 25) in ENGLAND
    assert date(2026, 12, 28) in ENGLAND  # Boxing Day falls on a Saturday: Monday is the substitute
    assert date(2027, 3, 26) in ENGLAND  # Good Friday
    assert date(2027, 3, 29) in ENGLAND  # Easter Monday
    assert date(2027, 3, 17) not in ENGLAND  # St Patrick's Day is Northern Ireland's, not England's
    assert date(2026, 8, 3) not in ENGLAND  # Scotland's summer holiday, not England's
    assert date(2026, 8, 31) in ENGLAND


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 12, 23), 1, date(2026, 12, 24)),  # Wednesday → Thursday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # Thursday: Fri 25, Sat, Sun, Mon 28 (substitute) closed
        (date(2026, 12, 24), 2, date(2026, 12, 30)),
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year's Day Friday, then the weekend
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # Thursday before Easter → Tuesday after Easter Monday
        (date(2027, 3, 25), 0, date(2027, 3, 25)),
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday → Monday
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # Saturday → Monday
        (date(2026, 12, 4), 5, date(2026, 12, 11)),
    ],
)
def test_due_dates_by_hand_around_christmas_and_easter(start, days, due):
    assert add_working_days(start, days) == due


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 24)) == 0
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 24)) == 0
    assert working_days_between(date(2027, 3, 24), date(2027, 3, 30)) == 2  # Thu 25, Tue 30


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 12, 1), -1)


days_ = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@given(start=days_, n=st.integers(min_value=0, max_value=60))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start, n):
    due = add_working_days(start, n)
    assert working_days_between(start, due) == n
    if n:
        assert is_working_day(due)
        assert due > start
        # and it is the first such day: the day before has one working day fewer
        assert working_days_between(start, due - timedelta(days=1)) == n - 1


@given(start=days_, a=st.integers(min_value=0, max_value=30), b=st.integers(min_value=0, max_value=30))
def test_adding_working_days_composes(start, a, b):
    assert add_working_days(add_working_days(start, a), b) == add_working_days(start, a + b)


@given(day=days_)
def test_weekends_are_never_working_days(day):
    if day.weekday() >= 5:
        assert not is_working_day(day)
