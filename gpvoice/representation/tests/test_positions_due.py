"""The dashboard's positions due for review: the review date on the exact edge of the window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from gpvoice.core import glance
from gpvoice.representation.glance import REVIEW_AHEAD_DAYS
from gpvoice.representation.models import BasisKind, Position, PositionStatus

TODAY = date(2027, 3, 1)


def _position(group, topic: str, review_on: date, status: str = PositionStatus.CURRENT) -> Position:
    return Position.objects.create(
        group=group,
        topic=topic,
        statement="Held",
        basis_kind=BasisKind.OTHER,
        basis_label="Group meeting",
        agreed_on=date(2026, 1, 1),
        review_on=review_on,
        status=status,
    )


def _due(group):
    return {s.key: s for s in glance.dashboard(group)}.get("positions_due")


@pytest.mark.django_db
def test_a_review_date_on_the_last_day_of_the_window_is_due_and_the_next_day_is_not(group):
    _position(group, "Edge", TODAY + timedelta(days=REVIEW_AHEAD_DAYS))
    _position(group, "Beyond", TODAY + timedelta(days=REVIEW_AHEAD_DAYS + 1))
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +0000", tick=False):
        section = _due(group)
    assert section is not None
    assert [row[0] for row in section.table.rows] == ["Edge"]
    assert dict(section.summary)["Past their review date"] == "0"


@pytest.mark.django_db
def test_yesterday_is_past_review_today_is_due_but_not_past_and_withdrawn_ones_are_left_out(group):
    _position(group, "Yesterday", TODAY - timedelta(days=1))
    _position(group, "Today", TODAY, status=PositionStatus.UNDER_REVIEW)
    _position(group, "Withdrawn", TODAY - timedelta(days=5), status=PositionStatus.WITHDRAWN)
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +0000", tick=False):
        section = _due(group)
    assert [row[0] for row in section.table.rows] == ["Yesterday", "Today"]
    assert section.table.rows[0][1].endswith("(past)") and not section.table.rows[1][1].endswith("(past)")
    assert dict(section.summary)["Past their review date"] == "1"


@pytest.mark.django_db
def test_no_position_due_shows_no_section(group):
    _position(group, "Later", TODAY + timedelta(days=400))
    with time_machine.travel(f"{TODAY.isoformat()} 12:00 +0000", tick=False):
        assert _due(group) is None
