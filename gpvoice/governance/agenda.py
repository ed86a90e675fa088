"""What governance offers a meeting's agenda (executive decisions for noting) and who is on the roll."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.urls import reverse

from gpvoice.core import agenda
from gpvoice.core.models import LeadershipGroup
from gpvoice.core.rules import NotAllowed

from . import selectors
from .models import ExecutiveDecision
from .services import executive_decision_note
from .services.common import GovernanceError

LIMIT = 200  # a backlog beyond this is a governance problem the decisions page shows in full


def decisions_due(group: LeadershipGroup, since: datetime | None) -> Iterable[agenda.Offer]:
    href = reverse("governance:decisions", args=[group.slug])
    for decision in selectors.decisions_for_noting(group=group)[:LIMIT]:
        yield agenda.Offer(
            source="governance.decision",
            ref=str(decision.pk),
            title=f"Executive decision: {decision.title}",
            href=href,
            heading="Executive decisions for noting",
            notable=True,
        )


def note_decision(group: LeadershipGroup, ref: str, actor: Any) -> None:
    decision = ExecutiveDecision.objects.filter(group=group, pk=int(ref) if ref.isdigit() else 0).first()
    if decision is None:
        raise agenda.AgendaRefused("That decision is no longer in this group's records.")
    try:
        executive_decision_note(decision=decision, actor=actor)
    except (GovernanceError, NotAllowed) as refusal:
        raise agenda.AgendaRefused(str(refusal)) from refusal


def roll(group: LeadershipGroup) -> Iterable[tuple[int, str]]:
    return selectors.current_roll(group=group).values_list("person_id", "status")


def register() -> None:
    agenda.register("governance.decision", decisions_due, note=note_decision)
    agenda.register_roll(roll)
