"""The ballots list's rows (presenters.list_row): each status's tag and the "When" column, worked
out by hand for every status, a show of hands and a ballot never scheduled."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from gpvoice.ballots.presenters import list_row

WINTER = datetime(2027, 1, 14, 17, 0, tzinfo=UTC)  # 17:00 in London (GMT)
SUMMER = datetime(2027, 7, 14, 16, 0, tzinfo=UTC)  # 17:00 in London (BST)


def _row(**fields):
    base = {
        "pk": 7,
        "kind": "ballot",
        "title": "Extended hours",
        "method": "yes_no",
        "is_secret": False,
        "status": "open",
        "closes_at": WINTER,
        "held_on": None,
        "meeting": "",
    }
    return list_row({**base, **fields})


@pytest.mark.parametrize(
    ("status", "text", "colour", "when"),
    [
        ("draft", "Draft", "grey", "Closes 14 January 2027 at 17:00"),
        ("scheduled", "Scheduled", "blue", "Closes 14 January 2027 at 17:00"),
        ("open", "Open", "green", "Closes 14 January 2027 at 17:00"),
        ("closed", "Closed", "yellow", "Closed 14 January 2027 at 17:00"),
        ("published", "Published", "white", "Closed 14 January 2027 at 17:00"),
        ("cancelled", "Cancelled", "red", "Closes 14 January 2027 at 17:00"),
    ],
)
def test_each_status_has_its_tag_and_says_closes_until_it_has_closed(status, text, colour, when):
    row = _row(status=status)
    assert row.tag == {"text": text, "classes": f"nhsuk-tag--{colour}"}
    assert row.when == when
    assert (row.pk, row.title, row.method) == (7, "Extended hours", "Yes, no or abstain")


def test_the_closing_time_is_told_in_london_time():
    assert _row(closes_at=SUMMER).when == "Closes 14 July 2027 at 17:00"


def test_a_secret_ballot_says_so_and_an_unscheduled_one_has_no_time():
    row = _row(method="schulze", is_secret=True, closes_at=None, status="draft")
    assert row.method == "Ranked choice, counted by the Schulze method, secret"
    assert row.when == "Not scheduled"


def test_a_show_of_hands_names_its_meeting_and_day():
    row = _row(kind="recorded", status="published", meeting="Board, March", held_on=date(2027, 3, 2))
    assert row.tag == {"text": "Recorded in the room", "classes": "nhsuk-tag--purple"}
    assert row.when == "Board, March, 02 March 2027"
