"""Ballots at a glance (issue 18): open ballots and their turnout on the dashboard; a practice's votes
on its record (its choice only in ballots that are not secret: a secret ballot shows only that the
practice took part); the year's ballots and their results in the annual report."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.urls import reverse

from gpvoice.core import glance
from gpvoice.core.formats import day, when
from gpvoice.core.glance import Bars, Section, Table
from gpvoice.core.models import LeadershipGroup

from . import selectors
from .models import Ballot, Elector, Kind, Option, Participation, Status, Vote
from .presenters import describe_vote

SHOWN = 5
RECORD_SHOWN = 20
YEAR_SHOWN = 50


def _count(model: Any, **filters: Any) -> Subquery:
    rows = model.objects.filter(ballot=OuterRef("pk"), **filters).values("ballot").annotate(n=Count("pk"))
    return Subquery(rows.values("n")[:1], output_field=IntegerField())


def with_turnout(ballots: QuerySet[Ballot]) -> QuerySet[Ballot]:
    """Each ballot with its electorate and how many have voted (not how): one query for all."""
    return ballots.annotate(
        electors_n=_count(Elector),
        votes_n=_count(Vote, is_current=True),
        participants_n=_count(Participation),
    )


def _electors(b: Any) -> int:
    return int(b.electors_n or 0)


def _voted(b: Any) -> int:
    return int((b.participants_n if b.is_secret else b.votes_n) or 0)


def ballots_tile(group: LeadershipGroup) -> Section:
    found = list(with_turnout(selectors.open_ballots(group=group))[:SHOWN])
    bars = [
        (
            b.title,
            _voted(b) / _electors(b) if _electors(b) else 0.0,
            f"{_voted(b)} of {_electors(b)} voted",
        )
        for b in found
    ]
    return Section(
        key="ballots",
        title="Open ballots",
        summary=[] if found else [("Open ballots", "None open now")],
        table=Table(head=["Ballot", "Closes"], rows=[[b.title, when(b.closes_at)] for b in found])
        if found
        else None,
        chart=Bars(
            title="Turnout so far", description="Electors who have voted, of the electorate.", bars=bars
        )
        if bars
        else None,
        href=reverse("ballots:list", args=[group.slug]),
        href_text="Every ballot",
    )


def practice_votes(group: LeadershipGroup, practice: Any) -> Section | None:
    """The practice's part in the group's ballots, latest first: its choice where the ballot is not
    secret, only whether it voted where it is (two queries)."""
    current = Vote.objects.filter(elector=OuterRef("pk"), is_current=True)
    electors = list(
        Elector.objects.filter(ballot__group=group, ballot__kind=Kind.BALLOT, practice=practice)
        .exclude(ballot__status__in=[Status.DRAFT, Status.CANCELLED])
        .select_related("ballot")
        .annotate(
            took_part=Exists(Participation.objects.filter(elector=OuterRef("pk"))),
            content=Subquery(current.values("content")[:1]),
        )
        .order_by("-ballot__opens_at", "-pk")[:RECORD_SHOWN]
    )
    if not electors:
        return None
    open_ids = [e.ballot_id for e in electors if not e.ballot.is_secret]
    labels = {str(o.pk): o.label for o in Option.objects.filter(ballot_id__in=open_ids)}
    rows = []
    for e in electors:
        if e.ballot.is_secret:
            answer = "Voted (secret ballot)" if e.took_part else "Did not vote (secret ballot)"
        else:
            answer = describe_vote(e.content, labels) if e.content else "Did not vote"
        rows.append([e.ballot.title, e.ballot.get_status_display(), answer])
    return Section(
        key="votes",
        title="Votes",
        table=Table(head=["Ballot", "Status", "The practice's vote"], rows=rows),
        href=reverse("ballots:list", args=[group.slug]),
        href_text="Every ballot",
    )


def ballots_year(group: LeadershipGroup, start: date, end: date) -> Section | None:
    """Ballots whose results were published in the year, with their outcome and turnout as
    published (the figures frozen in the result, not a recount of the votes: a national ballot has
    6,000 electors, and the report lists up to 50 ballots)."""
    decided = Ballot.objects.filter(
        group=group,
        kind=Kind.BALLOT,
        status=Status.PUBLISHED,
        closed_at__date__gte=start,
        closed_at__date__lt=end,
    )
    found = list(decided.order_by("closed_at", "pk")[:YEAR_SHOWN])
    if not found:
        return None
    total = len(found) if len(found) < YEAR_SHOWN else decided.count()
    rows = [
        [day(b.closed_at), b.title, b.get_method_display(), _published_turnout(b), _published_outcome(b)]
        for b in found
    ]
    return Section(
        key="ballots",
        title="Ballots and their results",
        summary=[("Ballots decided", f"{total:,}")],
        table=Table(
            head=["Closed", "Ballot", "Method", "Turnout", "Result"],
            rows=rows,
            caption=f"The first {YEAR_SHOWN} of {total:,}, by date closed" if total > len(found) else "",
        ),
    )


def _published_turnout(ballot: Ballot) -> str:
    result = ballot.result if isinstance(ballot.result, dict) else {}
    try:
        return f"{result['turnout']['count']:,} of {result['electorate']['count']:,}"
    except (KeyError, TypeError):
        return "not recorded"


def _published_outcome(ballot: Ballot) -> str:
    result = ballot.result if isinstance(ballot.result, dict) else {}
    outcome = result.get("outcome")
    return str(outcome.get("text", "")) if isinstance(outcome, dict) else ""


def register() -> None:
    glance.register_dashboard("ballots", ballots_tile, order=50)
    glance.register_practice_record("votes", practice_votes, order=20)
    glance.register_annual_report("ballots", ballots_year, order=30)
