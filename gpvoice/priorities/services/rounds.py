"""Rounds and their phases, including opening the scoring ballot through the ballot services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.ballots import services as ballots
from gpvoice.ballots.models import Ballot, Electorate, Method, Status, Weighting
from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.selectors import footprint_practices

from ..models import (
    MAX_ADOPT,
    MAX_CANDIDATES,
    TEXT_MAX,
    TITLE_MAX,
    Candidate,
    Phase,
    PhaseChange,
    PriorityRound,
    ScoringMethod,
    next_phase,
)
from .checks import (
    PriorityError,
    clean_text,
    lock_round,
    phase_label,
    require_officer,
    whole_number,
)


@transaction.atomic
def round_create(
    *,
    group: LeadershipGroup,
    title: str,
    actor: Any,
    description: str = "",
    method: str = ScoringMethod.POINTS,
    points_allowance: int = 100,
    adopt_up_to: int = 3,
) -> PriorityRound:
    require_officer(group, actor)
    title = clean_text(title, name="The title", enter="Enter a title for the round", limit=TITLE_MAX)
    description = clean_text(
        description, name="The description", enter="Enter a description", limit=TEXT_MAX, required=False
    )
    if method not in ScoringMethod.values:
        raise PriorityError("Choose how practices score the options: points or ranking.")
    whole_number(
        points_allowance, low=1, high=10_000, message="Give each practice between 1 and 10,000 points."
    )
    whole_number(adopt_up_to, low=1, high=MAX_ADOPT, message=f"Adopt between 1 and {MAX_ADOPT} priorities.")
    lock_row(LeadershipGroup.objects.all(), pk=group.pk)  # one new round (and title check) at a time
    if PriorityRound.objects.filter(group=group, title__iexact=title).exists():
        raise PriorityError(f"There is already a round called “{title}”. Give this one another title.")
    round = PriorityRound.objects.create(
        group=group,
        title=title,
        description=description,
        method=method,
        points_allowance=points_allowance,
        adopt_up_to=adopt_up_to,
        created_by=actor,
    )
    PhaseChange.objects.create(round=round, phase=Phase.NOMINATIONS, created_by=actor)
    audit.record(
        action="priorities.round.created",
        actor=actor,
        group=group,
        obj=round,
        data={"title": title, "method": method, "adopt_up_to": adopt_up_to},
    )
    return round


def round_advance(
    *,
    round: PriorityRound,
    to_phase: str,
    actor: Any,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> PriorityRound:
    """Move a round on to ``to_phase``, which must be the next one. ``opens_at``/``closes_at``
    schedule the scoring ballot when moving to scoring."""
    with transaction.atomic():
        round = lock_round(round)
        require_officer(round.group, actor)
        expected = next_phase(round.phase)
        if expected is None:
            raise PriorityError("Delivery is the last phase: this round does not move on.")
        if to_phase != expected:
            raise PriorityError(
                f"This round is in {phase_label(round)}: the only move is on to {expected.label.lower()}."
            )
        detail: dict[str, Any] = {}
        if expected == Phase.CONSOLIDATION:
            _check_consolidation(round)
        elif expected == Phase.SCORING:
            detail["ballot"] = _open_scoring(round, opens_at, closes_at, actor).pk
        elif expected == Phase.ADOPTION:
            _check_adoption(round)
            PriorityRound.objects.filter(pk=round.pk).update(support=_support(round))
        elif not round.adopted.exists():
            raise PriorityError("Adopt at least one priority before moving to delivery.")
        # Compare-and-swap under the lock: the phase we checked is the phase we leave.
        PriorityRound.objects.filter(pk=round.pk, phase=round.phase).update(phase=expected)
        PhaseChange.objects.create(round=round, phase=expected, created_by=actor)
        audit.record(
            action="priorities.round.advanced",
            actor=actor,
            group=round.group,
            obj=round,
            data={"from": round.phase, "to": expected.value, **detail},
        )
    round.refresh_from_db()
    if round.scoring_ballot is not None:
        ballots.advance(ballot=round.scoring_ballot)  # opens at once if its time has come
    return round


def _check_consolidation(round: PriorityRound) -> None:
    if round.nominations.count() < 2:
        raise PriorityError("At least two priorities must be nominated before consolidation.")


def _check_adoption(round: PriorityRound) -> None:
    ballot = round.scoring_ballot
    if ballot is not None:
        ballot = ballots.advance(ballot=ballot)  # the clock may not have run yet
    if ballot is None or ballot.status != Status.PUBLISHED:
        raise PriorityError("Adoption starts once the scoring ballot has closed and its result is published.")


def _support(round: PriorityRound) -> dict[str, list[int]]:
    """Breadth of support per option, counted once from the frozen scoring ballot's votes."""
    from ..selectors import count_support

    assert round.scoring_ballot is not None  # noqa: S101 - _check_adoption has refused otherwise
    return {option: [b.practices, b.pcns] for option, b in count_support(ballot=round.scoring_ballot).items()}


def scoring_draft(
    *, round: PriorityRound, candidates: Sequence[Candidate], opens_at: datetime, closes_at: datetime
) -> ballots.Draft:
    """The ballot that scores a round: open (not secret, so breadth can be shown), practices vote."""
    if round.method == ScoringMethod.POINTS:
        how = f"Share {round.points_allowance:,} points between the options your practice supports."
    else:
        how = "Rank the options your practice supports, most important first; leave out any you do not."
    return ballots.Draft(
        title=f"Scoring: {round.title}",
        question=f"Which priorities should {round.group.name} adopt in “{round.title}”? {how}",
        method=Method.POINTS if round.method == ScoringMethod.POINTS else Method.SCHULZE,
        electorate=Electorate.PRACTICES,
        weighting=Weighting.EQUAL,
        is_secret=False,
        options=[c.title for c in candidates],
        points_allowance=round.points_allowance if round.method == ScoringMethod.POINTS else None,
        opens_at=opens_at,
        closes_at=closes_at,
        publish_on_close=True,
        owner=f"priority round “{round.title}”",
    )


def _open_scoring(
    round: PriorityRound, opens_at: datetime | None, closes_at: datetime | None, actor: Any
) -> Ballot:
    candidates = list(Candidate.objects.filter(round=round).order_by("position"))
    unassigned = round.nominations.filter(candidate__isnull=True).count()
    problems = []
    if unassigned:
        problems.append(
            f"{unassigned} nomination{'s are' if unassigned > 1 else ' is'} not yet in an option: "
            "merge each nomination into an option first."
        )
    if len(candidates) < 2:
        problems.append("Scoring needs at least two options.")
    if len(candidates) > MAX_CANDIDATES:
        problems.append(f"A scoring ballot can have at most {MAX_CANDIDATES} options: merge some more.")
    if not isinstance(opens_at, datetime) or not isinstance(closes_at, datetime):
        problems.append("Say when scoring opens and closes.")
    elif closes_at <= opens_at:
        problems.append("Scoring must close after it opens.")
    elif closes_at <= timezone.now():
        problems.append("The closing time must be in the future.")
    if not footprint_practices(group=round.group).exists():
        problems.append("The group's footprint has no practices to score the options.")
    if problems:
        raise PriorityError(" ".join(problems))
    if not isinstance(opens_at, datetime) or not isinstance(closes_at, datetime):  # for the type checker
        raise PriorityError("Say when scoring opens and closes.")
    draft = scoring_draft(round=round, candidates=candidates, opens_at=opens_at, closes_at=closes_at)
    try:
        ballot = ballots.ballot_create(group=round.group, draft=draft, actor=actor)
        ballot = ballots.ballot_schedule(ballot=ballot, actor=actor)
    except ballots.BallotError as refusal:
        raise PriorityError(str(refusal)) from refusal
    PriorityRound.objects.filter(pk=round.pk).update(scoring_ballot=ballot)
    return ballot
