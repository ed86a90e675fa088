"""Every priority-setting write: checked, atomic, audited. Refusals say why, for a person.

Locking discipline: every write to a round (its phase, nominations, candidates, adoptions) first
takes the round row (``lock_row``), so a nomination and the move to consolidation never
interleave, two officers merging at once queue, and the adoption limit is counted under the
lock. A delivery update locks its priority row, whose status it sets. Unique constraints (one
phase change per phase, one adoption per candidate, one title per round) stand behind the locks.

The scoring ballot is made only through the ballot services: this module never writes ballot
rows itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gpvoice.ballots import services as ballots
from gpvoice.ballots.models import Ballot, Electorate, Method, Status, Weighting
from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import OFFICER_ROLES, LeadershipGroup, Membership
from gpvoice.directory.models import Organisation, Person
from gpvoice.directory.selectors import footprint_practices

from . import selectors
from .models import (
    MAX_ADOPT,
    MAX_CANDIDATES,
    TEXT_MAX,
    TITLE_MAX,
    AdoptedPriority,
    Candidate,
    DeliveryStatus,
    DeliveryUpdate,
    Nomination,
    Phase,
    PhaseChange,
    PriorityRound,
    ScoringMethod,
    next_phase,
)

NOMINATIONS_PER_PERSON = 20
REVIEW_WITHIN = timedelta(days=5 * 366)


class PriorityError(Exception):
    """A refusal with a message fit to show the person who asked."""


# Checks --------------------------------------------------------------------------------------


def _membership(group: LeadershipGroup, user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(group=group, user=user).first()


def _require_member(group: LeadershipGroup, user: Any) -> Membership:
    membership = _membership(group, user)
    if membership is None:
        raise PriorityError(f"Only members of {group.name} can take part in its priority setting.")
    return membership


def _require_officer(group: LeadershipGroup, user: Any) -> Membership:
    membership = _membership(group, user)
    if membership is None or membership.role not in OFFICER_ROLES:
        raise PriorityError(f"Only the officers of {group.name} (its admins and executive) can do this.")
    return membership


def _text(value: Any, *, name: str, enter: str, limit: int, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):
        raise PriorityError(enter + ".")
    text = (value or "").strip()
    if "\x00" in text:
        raise PriorityError(f"{name} contains a character that cannot be stored. Remove it and try again.")
    if required and not text:
        raise PriorityError(enter + ".")
    if len(text) > limit:
        raise PriorityError(f"{name} must be {limit:,} characters or fewer; it has {len(text):,}.")
    return text


def _whole(value: Any, *, low: int, high: int, message: str) -> int:
    if type(value) is not int or not low <= value <= high:
        raise PriorityError(message)
    return value


def _phase_label(round: PriorityRound) -> str:
    return Phase(round.phase).label.lower()


def _lock_round(round: PriorityRound) -> PriorityRound:
    # One writer per round at a time: phase, nominations, candidates and adoptions all hang off it.
    return lock_row(PriorityRound.objects.select_related("group", "scoring_ballot"), pk=round.pk)


# Rounds --------------------------------------------------------------------------------------


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
    _require_officer(group, actor)
    title = _text(title, name="The title", enter="Enter a title for the round", limit=TITLE_MAX)
    description = _text(
        description, name="The description", enter="Enter a description", limit=TEXT_MAX, required=False
    )
    if method not in ScoringMethod.values:
        raise PriorityError("Choose how practices score the options: points or ranking.")
    _whole(points_allowance, low=1, high=10_000, message="Give each practice between 1 and 10,000 points.")
    _whole(adopt_up_to, low=1, high=MAX_ADOPT, message=f"Adopt between 1 and {MAX_ADOPT} priorities.")
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
        round = _lock_round(round)
        _require_officer(round.group, actor)
        expected = next_phase(round.phase)
        if expected is None:
            raise PriorityError("Delivery is the last phase: this round does not move on.")
        if to_phase != expected:
            raise PriorityError(
                f"This round is in {_phase_label(round)}: the only move is on to {expected.label.lower()}."
            )
        detail: dict[str, Any] = {}
        if expected == Phase.CONSOLIDATION:
            _check_consolidation(round)
        elif expected == Phase.SCORING:
            detail["ballot"] = _open_scoring(round, opens_at, closes_at, actor).pk
        elif expected == Phase.ADOPTION:
            _check_adoption(round)
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


# Nominations ---------------------------------------------------------------------------------


def nomination_make(
    *,
    round: PriorityRound,
    title: str,
    rationale: str,
    actor: Any,
    on_behalf_of: Organisation | None = None,
) -> Nomination:
    """Any member proposes a priority, as a member or for a practice or PCN they work at."""
    with transaction.atomic():
        round = _lock_round(round)
        _require_member(round.group, actor)
        if round.phase != Phase.NOMINATIONS:
            raise PriorityError(f"Nominations for this round have closed: it is in {_phase_label(round)}.")
        title = _text(title, name="The title", enter="Enter the priority you propose", limit=TITLE_MAX)
        rationale = _text(
            rationale, name="The rationale", enter="Say why it should be a priority", limit=TEXT_MAX
        )
        if on_behalf_of is not None and on_behalf_of not in selectors.proposer_organisations(
            user=actor, group=round.group
        ):
            raise PriorityError(
                "You can nominate for a practice or PCN only where you hold a current appointment, "
                "and only if it is in the group's footprint."
            )
        if round.nominations.filter(proposed_by=actor).count() >= NOMINATIONS_PER_PERSON:
            raise PriorityError(f"Each person can make at most {NOMINATIONS_PER_PERSON} nominations a round.")
        nomination = Nomination.objects.create(
            round=round,
            title=title,
            rationale=rationale,
            proposed_by=actor,
            proposer_name=actor.display_name,
            on_behalf_of=on_behalf_of,
        )
        audit.record(
            action="priorities.nomination.made",
            actor=actor,
            group=round.group,
            obj=nomination,
            data={
                "round": round.pk,
                "title": title,
                "on_behalf_of": on_behalf_of.ods_code if on_behalf_of else None,
            },
        )
    return nomination


# Consolidation -------------------------------------------------------------------------------


def _check_consolidating(round: PriorityRound, actor: Any) -> None:
    _require_officer(round.group, actor)
    if round.phase != Phase.CONSOLIDATION:
        raise PriorityError(
            f"Options are formed during consolidation; this round is in {_phase_label(round)}."
        )


def _candidate_new(round: PriorityRound, title: str, description: str) -> Candidate:
    position = (Candidate.objects.filter(round=round).aggregate(p=Max("position"))["p"] or 0) + 1
    return Candidate.objects.create(round=round, title=title, description=description, position=position)


def _remove_empty(round: PriorityRound) -> list[str]:
    """An option nobody proposed is no option: drop those that merging has emptied."""
    empty = Candidate.objects.filter(round=round, nominations__isnull=True)
    titles = list(empty.values_list("title", flat=True))
    empty.delete()
    return titles


def nominations_merge(
    *,
    round: PriorityRound,
    nominations: Sequence[Nomination],
    actor: Any,
    into: Candidate | None = None,
    title: str = "",
    description: str = "",
) -> Candidate:
    """Put nominations into one option: an existing one (``into``) or a new one (``title``).
    Each nomination keeps its proposer, rationale and the organisation it was made for."""
    with transaction.atomic():
        round = _lock_round(round)
        _check_consolidating(round, actor)
        ids = {n.pk for n in nominations}
        if not ids:
            raise PriorityError("Choose at least one nomination to merge.")
        found = Nomination.objects.filter(round=round, pk__in=ids)
        if found.count() != len(ids):
            raise PriorityError("Some of the chosen nominations are not in this round.")
        if into is not None and (title or description):
            raise PriorityError("Either choose an existing option or give a new one a title, not both.")
        if into is not None:
            candidate = Candidate.objects.filter(round=round, pk=into.pk).first()
            if candidate is None:
                raise PriorityError("That option is not in this round.")
        else:
            title = _text(
                title, name="The option's title", enter="Enter a title for the new option", limit=TITLE_MAX
            )
            description = _text(
                description,
                name="The description",
                enter="Enter a description",
                limit=TEXT_MAX,
                required=False,
            )
            if Candidate.objects.filter(round=round, title__iexact=title).exists():
                raise PriorityError(f"There is already an option called “{title}”: choose it from the list.")
            candidate = _candidate_new(round, title, description)
        found.update(candidate=candidate)
        emptied = _remove_empty(round)
        audit.record(
            action="priorities.nominations.merged",
            actor=actor,
            group=round.group,
            obj=candidate,
            data={"round": round.pk, "into": candidate.title, "nominations": sorted(ids), "emptied": emptied},
        )
    return candidate


def nominations_each_own(*, round: PriorityRound, actor: Any) -> int:
    """Every nomination not yet in an option becomes one; identical titles share one option."""
    with transaction.atomic():
        round = _lock_round(round)
        _check_consolidating(round, actor)
        existing = {c.title.lower(): c for c in Candidate.objects.filter(round=round)}
        left = list(
            Nomination.objects.filter(round=round, candidate__isnull=True).order_by("created_at", "id")
        )
        for nomination in left:
            key = nomination.title.lower()
            if key not in existing:
                existing[key] = _candidate_new(round, nomination.title, "")
            Nomination.objects.filter(pk=nomination.pk).update(candidate=existing[key])
        if left:
            audit.record(
                action="priorities.nominations.listed",
                actor=actor,
                group=round.group,
                obj=round,
                data={"nominations": [n.pk for n in left]},
            )
    return len(left)


def candidate_update(*, candidate: Candidate, title: str, description: str, actor: Any) -> Candidate:
    with transaction.atomic():
        round = _lock_round(candidate.round)
        _check_consolidating(round, actor)
        candidate = Candidate.objects.filter(round=round, pk=candidate.pk).first()  # type: ignore[assignment]
        if candidate is None:
            raise PriorityError("That option is not in this round.")
        title = _text(title, name="The option's title", enter="Enter a title for the option", limit=TITLE_MAX)
        description = _text(
            description, name="The description", enter="Enter a description", limit=TEXT_MAX, required=False
        )
        if Candidate.objects.filter(round=round, title__iexact=title).exclude(pk=candidate.pk).exists():
            raise PriorityError(f"There is already an option called “{title}”.")
        before = candidate.title
        candidate.title, candidate.description = title, description
        candidate.save(update_fields=["title", "description"])
        audit.record(
            action="priorities.candidate.changed",
            actor=actor,
            group=round.group,
            obj=candidate,
            data={"from": before, "to": title},
        )
    return candidate


# Adoption ------------------------------------------------------------------------------------


def _adoptable(round: PriorityRound, candidate: Any) -> tuple[Candidate, int]:
    """The round's own option, not yet adopted, within the limit: with its place in the result."""
    if round.phase != Phase.ADOPTION:
        raise PriorityError(
            f"Priorities are adopted in the adoption phase; this round is in {_phase_label(round)}."
        )
    found = (
        Candidate.objects.filter(round=round, pk=candidate.pk).first()
        if isinstance(candidate, Candidate) and candidate.pk
        else None
    )
    if found is None:
        raise PriorityError("That option is not in this round.")
    if AdoptedPriority.objects.filter(candidate=found).exists():
        raise PriorityError(f"“{found.title}” has already been adopted.")
    adopted = AdoptedPriority.objects.filter(round=round).count()
    if adopted >= round.adopt_up_to:
        raise PriorityError(
            f"This round adopts at most {round.adopt_up_to} priorities, and {adopted} have been adopted."
        )
    rank = selectors.ranks(round=round).get(found.title)
    if rank is None:
        raise PriorityError(f"“{found.title}” was not on the scoring ballot, so it cannot be adopted.")
    return found, rank


def _lead_and_review(group: LeadershipGroup, lead: Any, review_date: Any) -> tuple[Person, date]:
    problems = []
    if not isinstance(lead, Person) or not selectors.possible_leads(group=group).filter(pk=lead.pk).exists():
        problems.append("Choose a lead who belongs to the group or is on its roll.")
    today = timezone.localdate()
    if not isinstance(review_date, date) or review_date <= today:
        problems.append("The review date must be in the future.")
    elif review_date > today + REVIEW_WITHIN:
        problems.append("Set a review date within five years.")
    if problems or not isinstance(lead, Person) or not isinstance(review_date, date):
        raise PriorityError(" ".join(problems))
    return lead, review_date


def priority_adopt(
    *, round: PriorityRound, candidate: Candidate, lead: Person | None, review_date: date | None, actor: Any
) -> AdoptedPriority:
    """Adopt one option of this round, with a lead and a review date; at most ``adopt_up_to``."""
    with transaction.atomic():
        round = _lock_round(round)  # the limit is counted under the lock
        _require_officer(round.group, actor)
        found, rank = _adoptable(round, candidate)
        lead, review_date = _lead_and_review(round.group, lead, review_date)
        priority = AdoptedPriority.objects.create(
            round=round,
            candidate=found,
            title=found.title,
            rank=rank,
            lead=lead,
            review_date=review_date,
            adopted_by=actor,
        )
        audit.record(
            action="priorities.priority.adopted",
            actor=actor,
            group=round.group,
            obj=priority,
            data={"title": found.title, "rank": rank, "lead": lead.full_name, "review_date": review_date},
        )
    return priority


# Delivery ------------------------------------------------------------------------------------


def delivery_update_post(*, priority: AdoptedPriority, status: str, text: str, actor: Any) -> DeliveryUpdate:
    """A status update, by an officer or the priority's lead; it sets the priority's status."""
    with transaction.atomic():
        # One update at a time per priority, so its status is the latest update's.
        priority = lock_row(AdoptedPriority.objects.select_related("round__group", "lead"), pk=priority.pk)
        group = priority.round.group
        membership = _membership(group, actor)
        is_lead = priority.lead.user_id is not None and priority.lead.user_id == getattr(actor, "pk", None)
        if membership is None or not (membership.is_officer or is_lead):
            raise PriorityError(
                "Only the group's officers or the priority's lead, "
                f"{priority.lead.full_name}, can post updates."
            )
        if priority.round.phase != Phase.DELIVERY:
            raise PriorityError("Updates are posted once the round has moved to delivery.")
        if status not in DeliveryStatus.values:
            raise PriorityError("Choose a status: on track, at risk, delivered or paused.")
        text = _text(text, name="The update", enter="Enter the update", limit=TEXT_MAX)
        update = DeliveryUpdate.objects.create(priority=priority, status=status, text=text, created_by=actor)
        AdoptedPriority.objects.filter(pk=priority.pk).update(status=status)
        audit.record(
            action="priorities.update.posted",
            actor=actor,
            group=group,
            obj=update,
            data={"priority": priority.title, "status": status},
        )
    return update
