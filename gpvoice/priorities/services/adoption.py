"""Adopting priorities after scoring, and the delivery updates practices see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.core.selectors import membership_in
from gpvoice.directory.models import Person

from .. import selectors
from ..models import (
    TEXT_MAX,
    AdoptedPriority,
    Candidate,
    DeliveryStatus,
    DeliveryUpdate,
    Phase,
    PriorityRound,
)
from .checks import (
    REVIEW_WITHIN,
    PriorityError,
    clean_text,
    lock_round,
    phase_label,
    require_officer,
)


def _adoptable(round: PriorityRound, candidate: Any) -> tuple[Candidate, int]:
    """The round's own option, not yet adopted, within the limit: with its place in the result."""
    if round.phase != Phase.ADOPTION:
        raise PriorityError(
            f"Priorities are adopted in the adoption phase; this round is in {phase_label(round)}."
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
        round = lock_round(round)  # the limit is counted under the lock
        require_officer(round.group, actor)
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
        membership = membership_in(user=actor, group=group)
        is_lead = priority.lead.user_id is not None and priority.lead.user_id == getattr(actor, "pk", None)
        if not (rules.is_officer(membership) or (membership is not None and is_lead)):
            raise PriorityError(
                "Only the group's officers or the priority's lead, "
                f"{priority.lead.full_name}, can post updates."
            )
        if priority.round.phase != Phase.DELIVERY:
            raise PriorityError("Updates are posted once the round has moved to delivery.")
        if status not in DeliveryStatus.values:
            raise PriorityError("Choose a status: on track, at risk, delivered or paused.")
        text = clean_text(text, name="The update", enter="Enter the update", limit=TEXT_MAX)
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
