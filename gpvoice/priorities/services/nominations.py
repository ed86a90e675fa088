"""Nominations, and consolidating them into the options practices score."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max

from gpvoice.core import audit
from gpvoice.directory.models import Organisation

from .. import selectors
from ..models import (
    TEXT_MAX,
    TITLE_MAX,
    Candidate,
    Nomination,
    Phase,
    PriorityRound,
)
from .checks import (
    NOMINATIONS_PER_PERSON,
    PriorityError,
    clean_text,
    lock_round,
    phase_label,
    require_member,
    require_officer,
)


def nomination_make(
    *,
    round: PriorityRound,
    title: str,
    rationale: str,
    actor: Any,
    on_behalf_of: Organisation | None = None,
) -> Nomination:
    """Any member proposes a priority, as a member or for a practice or PCN they work at.

    Sending the same nomination again (same person, title, rationale and practice) returns the one
    already stored: checked under the round's lock, so even two copies at once store one."""
    with transaction.atomic():
        round = lock_round(round)
        require_member(round.group, actor)
        if round.phase != Phase.NOMINATIONS:
            raise PriorityError(f"Nominations for this round have closed: it is in {phase_label(round)}.")
        title = clean_text(title, name="The title", enter="Enter the priority you propose", limit=TITLE_MAX)
        rationale = clean_text(
            rationale, name="The rationale", enter="Say why it should be a priority", limit=TEXT_MAX
        )
        if on_behalf_of is not None and on_behalf_of not in selectors.proposer_organisations(
            user=actor, group=round.group
        ):
            raise PriorityError(
                "You can nominate for a practice or PCN only where you hold a current appointment, "
                "and only if it is in the group's footprint."
            )
        replayed = round.nominations.filter(
            proposed_by=actor, title=title, rationale=rationale, on_behalf_of=on_behalf_of
        ).first()
        if replayed is not None:
            # The same form sent again (a reload, a double click, a retry): stored once.
            return replayed
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
    require_officer(round.group, actor)
    if round.phase != Phase.CONSOLIDATION:
        raise PriorityError(
            f"Options are formed during consolidation; this round is in {phase_label(round)}."
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
        round = lock_round(round)
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
            title = clean_text(
                title, name="The option's title", enter="Enter a title for the new option", limit=TITLE_MAX
            )
            description = clean_text(
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
        round = lock_round(round)
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
        round = lock_round(candidate.round)
        _check_consolidating(round, actor)
        candidate = Candidate.objects.filter(round=round, pk=candidate.pk).first()  # type: ignore[assignment]
        if candidate is None:
            raise PriorityError("That option is not in this round.")
        title = clean_text(
            title, name="The option's title", enter="Enter a title for the option", limit=TITLE_MAX
        )
        description = clean_text(
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
