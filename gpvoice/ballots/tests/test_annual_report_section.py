"""The annual report's ballots: turnout as published, and the year's whole count past the 50 listed."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gpvoice.ballots import glance as ballots_glance
from gpvoice.ballots.models import Ballot, Vote
from gpvoice.ballots.services import ballot_cast

from .conftest import close_by_the_clock, option_ids


def _year() -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year - 1, 1, 1), date(today.year + 2, 1, 1)


def test_turnout_is_the_published_figure_not_a_recount(group, make_ballot, signatories):
    ballot = make_ballot()
    yes, _ = option_ids(ballot)
    for user in signatories[:3]:
        ballot_cast(ballot=ballot, user=user, content={"choice": yes})
    ballot = close_by_the_clock(ballot)
    assert ballot.result["turnout"]["count"] == 3
    # A vote row changed after publication (by hand, in the database) does not change the report:
    # the report shows what was published.
    Vote.objects.filter(ballot=ballot).first().delete()
    section = ballots_glance.ballots_year(group, *_year())
    assert section is not None
    [row] = section.table.rows
    assert row[1] == "Extended access" and row[3] == "3 of 4" and row[4] == ballot.result["outcome"]["text"]
    assert section.summary == [("Ballots decided", "1")]
    assert section.table.caption == ""


def test_the_summary_counts_every_ballot_decided_beyond_those_listed(group, make_ballot, monkeypatch):
    monkeypatch.setattr(ballots_glance, "YEAR_SHOWN", 2)
    for _ in range(3):
        close_by_the_clock(make_ballot())
    with CaptureQueriesContext(connection) as queries:
        section = ballots_glance.ballots_year(group, *_year())
    assert section is not None and len(section.table.rows) == 2
    assert section.summary == [("Ballots decided", "3")]
    assert section.table.caption == "The first 2 of 3, by date closed"
    assert len(queries) == 2  # the listed ballots, and the count because the list is full


def test_exactly_a_full_list_still_counts_and_one_short_does_not(group, make_ballot, monkeypatch):
    monkeypatch.setattr(ballots_glance, "YEAR_SHOWN", 2)
    close_by_the_clock(make_ballot())
    with CaptureQueriesContext(connection) as queries:
        section = ballots_glance.ballots_year(group, *_year())
    assert section.summary == [("Ballots decided", "1")] and len(queries) == 1
    close_by_the_clock(make_ballot())
    section = ballots_glance.ballots_year(group, *_year())
    assert section.summary == [("Ballots decided", "2")] and section.table.caption == ""
    assert Ballot.objects.filter(group=group).count() == 2
