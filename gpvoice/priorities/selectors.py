"""Reads for priority setting, scoped to a group. Each page's queries stay constant as it grows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from gpvoice.ballots.models import Ballot, Status, Vote
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, OrgType, Person
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance.selectors import current_appointments_qs

from . import scoring
from .models import AdoptedPriority, Candidate, DeliveryUpdate, Nomination, Phase, PhaseChange, PriorityRound


def rounds_for(*, group: LeadershipGroup) -> QuerySet[PriorityRound]:
    return PriorityRound.objects.filter(group=group)


def round_for(*, group: LeadershipGroup, pk: int) -> PriorityRound | None:
    return rounds_for(group=group).filter(pk=pk).select_related("group", "scoring_ballot").first()


def latest_round(*, group: LeadershipGroup) -> PriorityRound | None:
    return rounds_for(group=group).first()


def phase_changes(*, round: PriorityRound) -> list[PhaseChange]:
    return list(PhaseChange.objects.filter(round=round))


def _nominations() -> QuerySet[Nomination]:
    return Nomination.objects.select_related("on_behalf_of")


def nominations(*, round: PriorityRound) -> QuerySet[Nomination]:
    return _nominations().filter(round=round).select_related("candidate")


def unassigned_count(*, round: PriorityRound) -> int:
    return Nomination.objects.filter(round=round, candidate__isnull=True).count()


def candidates(*, round: PriorityRound) -> list[Candidate]:
    """The options, each with who proposed what (``nominations`` prefetched)."""
    return list(
        Candidate.objects.filter(round=round).prefetch_related(
            Prefetch("nominations", queryset=_nominations().order_by("created_at", "id"))
        )
    )


def proposals(*, candidate: Candidate) -> list[Nomination]:
    """Who proposed what, for one option."""
    return list(_nominations().filter(candidate=candidate))


def candidates_not_adopted(*, round: PriorityRound) -> QuerySet[Candidate]:
    return Candidate.objects.filter(round=round, adoption__isnull=True)


def adopted(*, round: PriorityRound) -> list[AdoptedPriority]:
    return list(AdoptedPriority.objects.filter(round=round).select_related("lead"))


def priority_for(*, round: PriorityRound, pk: int) -> AdoptedPriority | None:
    return AdoptedPriority.objects.filter(round=round, pk=pk).select_related("lead", "candidate").first()


def delivery_updates(*, priority: AdoptedPriority) -> QuerySet[DeliveryUpdate]:
    """Newest first (the model's order); pages show a page of them."""
    return DeliveryUpdate.objects.filter(priority=priority).select_related("created_by")


def latest_adopted(*, group: LeadershipGroup, limit: int = 5) -> list[AdoptedPriority]:
    """Adopted priorities of the group's rounds in delivery, newest round first (home page)."""
    return list(
        AdoptedPriority.objects.filter(round__group=group, round__phase=Phase.DELIVERY)
        .select_related("round")
        .order_by("-round__created_at", "rank")[:limit]
    )


def proposer_organisations(*, user: Any, group: LeadershipGroup) -> list[Organisation]:
    """Practices and PCNs this user may nominate for: a current appointment there, in the footprint."""
    if not getattr(user, "is_authenticated", False):
        return []
    footprint = footprint_practices(group=group)
    held = current_appointments_qs().filter(person__user=user).values("organisation_id")
    return list(
        Organisation.objects.filter(pk__in=held)
        .filter(
            Q(org_type=OrgType.PRACTICE, pk__in=footprint.values("pk"))
            | Q(org_type=OrgType.PCN, pk__in=footprint.values("pcn_id"))
        )
        .order_by("name")
    )


def possible_leads(*, group: LeadershipGroup) -> QuerySet[Person]:
    """Who may lead an adopted priority: people who belong to the group or are on its roll."""
    return (
        Person.objects.filter(
            Q(user__memberships__group=group) | Q(roll_entries__group=group, roll_entries__end__isnull=True)
        )
        .distinct()
        .order_by("full_name")
    )


def breadth_of_support(*, ballot: Ballot, round: PriorityRound | None = None) -> dict[str, scoring.Breadth]:
    """Per option id: how many practices, and how many of their PCNs, supported it at all.

    Only for an open (non-secret) ballot whose result is published: before then, how practices
    voted is hidden; a secret ballot never shows it. Read from what the round kept when it moved
    to adoption (``PriorityRound.support``); counted from the votes only for a round without it.
    """
    if ballot.is_secret or ballot.status != Status.PUBLISHED:
        return {}
    if round is not None and round.support is not None:
        return {option: scoring.Breadth(*counts) for option, counts in round.support.items()}
    return count_support(ballot=ballot)


def count_support(*, ballot: Ballot) -> dict[str, scoring.Breadth]:
    """Breadth of support counted from every current vote of the ballot (one query, but it reads
    each vote: done once per round, see ``PriorityRound.support``)."""
    votes = Vote.objects.filter(ballot=ballot, is_current=True).values_list(
        "content", "elector_id", "elector__pcn_id"
    )
    return scoring.count_breadth(votes)


@dataclass(frozen=True)
class ScoreRow:
    place: scoring.Placed
    breadth: scoring.Breadth
    candidate: Candidate | None
    adoption: AdoptedPriority | None


@dataclass(frozen=True)
class Results:
    rows: list[ScoreRow]
    turnout: int
    electorate: int
    outcome: str


def results(
    *, round: PriorityRound, candidates: list[Candidate], adopted: list[AdoptedPriority]
) -> Results | None:
    """The published scoring result beside breadth of support, or None before it is published."""
    ballot = round.scoring_ballot
    if ballot is None or ballot.status != Status.PUBLISHED or not ballot.result:
        return None
    breadth = breadth_of_support(ballot=ballot, round=round)
    by_title = {c.title: c for c in candidates}
    by_candidate = {a.candidate_id: a for a in adopted}
    rows = []
    for place in scoring.ordered(ballot.result):
        candidate = by_title.get(place.label)
        adoption = by_candidate.get(candidate.pk) if candidate else None
        rows.append(ScoreRow(place, breadth.get(place.option_id, scoring.NO_SUPPORT), candidate, adoption))
    return Results(
        rows=rows,
        turnout=ballot.result["turnout"]["count"],
        electorate=ballot.result["electorate"]["count"],
        outcome=ballot.result["outcome"]["text"],
    )


def ranks(*, round: PriorityRound) -> dict[str, int]:
    """Each option's place in the published result, by label (for adoption)."""
    ballot = round.scoring_ballot
    if ballot is None or ballot.status != Status.PUBLISHED or not ballot.result:
        return {}
    return {place.label: place.rank for place in scoring.ordered(ballot.result)}


def rounds_nominating(*, group: LeadershipGroup, user: Any) -> QuerySet[PriorityRound]:
    """The group's rounds open for nominations, each with ``my_nominations``: how many this user
    has proposed. One query."""
    return (
        rounds_for(group=group)
        .filter(phase=Phase.NOMINATIONS)
        .annotate(my_nominations=Count("nominations", filter=Q(nominations__proposed_by=user)))
        .order_by("created_at")
    )
