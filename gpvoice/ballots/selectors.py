"""Reads for ballots, scoped to the group and to who is asking."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from gpvoice.core.models import LeadershipGroup, Membership
from gpvoice.core.pagination import CountedPaginator
from gpvoice.directory.models import Person
from gpvoice.governance.selectors import signatory_practices

from . import sealing
from .models import Ballot, Elector, Electorate, Kind, Participation, SealedChoice, Status, Threshold, Vote
from .results import Cast, Rules


def rules_for(ballot: Ballot) -> Rules:
    return Rules(
        method=ballot.method,
        weighting=ballot.weighting,
        is_secret=ballot.is_secret,
        threshold=ballot.threshold_share,
        threshold_label=(
            Threshold(ballot.threshold).label
            if ballot.threshold != Threshold.CUSTOM
            else f"At least {ballot.threshold_num} in {ballot.threshold_den}"
        ),
        threshold_strict=ballot.threshold == Threshold.SIMPLE,
        quorum_practices=(
            Fraction(ballot.quorum_practices_percent, 100)
            if ballot.quorum_practices_percent is not None
            else None
        ),
        quorum_patients=(
            Fraction(ballot.quorum_patients_percent, 100)
            if ballot.quorum_patients_percent is not None
            else None
        ),
        tie_break=ballot.tie_break,
        tie_seed=ballot.tie_seed,
        patients_apply=ballot.electorate == Electorate.PRACTICES,
        secret_min_turnout=ballot.secret_min_turnout,
    )


def load_casts(*, ballot: Ballot) -> list[Cast]:
    """The stored ballots, as the tally sees them: content and weight, nothing else."""
    if ballot.is_secret:
        rows = SealedChoice.objects.filter(ballot=ballot).values_list("content", "sealed_weight")
        return [Cast(content, sealing.open_weight(ballot_id=ballot.pk, sealed=w)) for content, w in rows]
    votes = Vote.objects.filter(ballot=ballot, is_current=True).values_list("content", "elector__weight")
    return [Cast(content, weight) for content, weight in votes]


def ballots_for(*, membership: Membership) -> QuerySet[Ballot]:
    """Drafts are for officers; everything else is for every member of the group."""
    qs = Ballot.objects.filter(group=membership.group)
    if not membership.is_officer:
        qs = qs.exclude(status=Status.DRAFT)
    return qs.order_by("-created_at", "-pk")


# What the ballot list shows of each ballot: the page reads these columns alone, not the questions,
# the results' figures or the sealing fields.
LIST_FIELDS = (
    "group_id",
    "kind",
    "title",
    "method",
    "is_secret",
    "status",
    "closes_at",
    "held_on",
    "meeting",
)


def ballot_list_page(*, membership: Membership) -> QuerySet[Ballot, dict[str, Any]]:
    """``ballots_for`` as the list's table reads it: plain rows of those columns (fifty a page; a
    model instance with deferred fields cost more to build than the row costs to show)."""
    return ballots_for(membership=membership).values("pk", *LIST_FIELDS)


def ballots_to_come(*, membership: Membership) -> QuerySet[Ballot]:
    """Ballots still to be decided (draft, scheduled or open): what a request can be put to. Not
    the group's whole history, which grows every year."""
    return ballots_for(membership=membership).filter(
        kind=Kind.BALLOT, status__in=(Status.DRAFT, Status.SCHEDULED, Status.OPEN)
    )


def ballot_for(*, membership: Membership, pk: int) -> Ballot | None:
    return ballots_for(membership=membership).filter(pk=pk).select_related("group").first()


def result_visible_to(*, ballot: Ballot, membership: Membership) -> bool:
    """Who may see a ballot's result, and when: the one rule for the results page and the API.

    A show of hands is a record, seen at once. A ballot's result is hidden until it closes; once
    closed, the group's officers see it (to check it before publishing), and once published,
    every member does."""
    if ballot.kind == Kind.RECORDED or ballot.status == Status.PUBLISHED:
        return True
    return ballot.status == Status.CLOSED and membership.is_officer


def group_slug_of(*, ballot_id: int) -> str | None:
    """Which group a ballot belongs to, for URLs that name the ballot but not the group."""
    return Ballot.objects.filter(pk=ballot_id).values_list("group__slug", flat=True).first()


def turnout(*, ballot: Ballot) -> tuple[int, int]:
    """How many electors have voted so far, of how many (shown while open; not how they voted)."""
    voted = (
        Participation.objects.filter(ballot=ballot).count()
        if ballot.is_secret
        else Vote.objects.filter(ballot=ballot, is_current=True).count()
    )
    return voted, Elector.objects.filter(ballot=ballot).count()


def current_votes(*, ballot: Ballot, electors: list[Elector]) -> dict[int, Vote]:
    """An open ballot's current vote for each of these electors (for 'you voted …')."""
    if ballot.is_secret or not electors:
        return {}
    votes = Vote.objects.filter(elector__in=electors, is_current=True)
    return {v.elector_id: v for v in votes}


def voted_electors(*, ballot: Ballot, electors: list[Elector]) -> set[int]:
    if ballot.is_secret:
        return set(Participation.objects.filter(elector__in=electors).values_list("elector_id", flat=True))
    return set(
        Vote.objects.filter(elector__in=electors, is_current=True).values_list("elector_id", flat=True)
    )


def open_ballot_votes(*, ballot: Ballot) -> QuerySet[Vote]:
    """Who voted what, for an open (non-secret) ballot once its result is published."""
    return (
        # Through the electors (a vote's ballot is its elector's), so that the database walks the
        # (ballot, label) index a page at a time and looks up each one's current vote, instead of
        # joining and sorting every vote of a national ballot.
        Vote.objects.filter(elector__ballot=ballot, is_current=True)
        .select_related("elector")
        .order_by("elector__label", "elector_id")
    )


def open_ballot_votes_page(*, ballot: Ballot, number: str | None, per_page: int) -> Page:
    """One page of ``open_ballot_votes``, counted from the ballot's current votes alone (one index
    scan) rather than from the page's join through the electors."""
    total = Vote.objects.filter(ballot=ballot, is_current=True).count()
    return CountedPaginator(open_ballot_votes(ballot=ballot), per_page, total).get_page(number)


# Which electors the officer's "who has voted" list shows (?electors=…).
PARTICIPATION_FILTERS = {"": None, "voted": True, "not-voted": False}


def participation_list(*, ballot: Ballot, voted: bool | None = None) -> QuerySet[Elector]:
    """The electors with whether they have voted, by name: for officers chasing turnout. A page
    of it at a time (an electorate can be every practice in England); ``voted`` narrows it."""
    if ballot.is_secret:
        took_part = Exists(Participation.objects.filter(elector=OuterRef("pk")))
    else:
        took_part = Exists(Vote.objects.filter(elector=OuterRef("pk"), is_current=True))
    electors = Elector.objects.filter(ballot=ballot).annotate(voted=took_part)
    if voted is not None:
        electors = electors.filter(voted=voted)
    return electors.order_by("label", "pk")


def receipt_counted(*, ballot: Ballot, code: str) -> bool:
    return SealedChoice.objects.filter(ballot=ballot, receipt_digest=sealing.receipt_digest(code)).exists()


def open_ballots(*, group: LeadershipGroup) -> QuerySet[Ballot]:
    return Ballot.objects.filter(group=group, kind=Kind.BALLOT, status=Status.OPEN).order_by("closes_at")


def my_open_electors(
    *,
    group: LeadershipGroup,
    user: Any,
    practices: list[int] | None = None,
    people: list[int] | None = None,
) -> QuerySet[Elector]:
    """The electors this user may cast for in the group's open ballots: each practice they sign for,
    and themself as a core member. Annotated ``has_voted`` and (open ballots only) ``voted_at``, the
    time of the current vote; secret ballots keep no time. Three queries, however many ballots.

    The user's practices and person are read first, as lists: an ``OR`` of two subqueries made the
    database read every elector of every open ballot (209,000 at national size) to find a handful,
    where a list lets it look each one up in the (ballot, practice) and (ballot, person) indexes.
    A caller that has read them already (``directory.me``) passes ``practices`` and ``people``.
    """
    if not getattr(user, "is_authenticated", False):
        return Elector.objects.none()
    if practices is None:
        practices = list(signatory_practices(user=user).values_list("pk", flat=True))
    if people is None:
        people = list(Person.objects.filter(user=user).values_list("pk", flat=True))
    if not practices and not people:
        return Elector.objects.none()
    current = Vote.objects.filter(elector=OuterRef("pk"), is_current=True)
    return (
        Elector.objects.filter(ballot__group=group, ballot__kind=Kind.BALLOT, ballot__status=Status.OPEN)
        .filter(Q(practice_id__in=practices) | Q(person_id__in=people))
        .annotate(
            has_voted=Exists(current) | Exists(Participation.objects.filter(elector=OuterRef("pk"))),
            voted_at=Subquery(current.values("cast_at")[:1]),
        )
        .select_related("ballot", "practice")
        .order_by("ballot__closes_at", "label")
    )
