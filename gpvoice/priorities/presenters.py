"""What templates show: phase and status tags, the phase steps with dates, and messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import PHASES, DeliveryStatus, Phase, PhaseChange, PriorityRound

PHASE_COLOURS = {
    Phase.NOMINATIONS: "blue",
    Phase.CONSOLIDATION: "purple",
    Phase.SCORING: "green",
    Phase.ADOPTION: "yellow",
    Phase.DELIVERY: "white",
}
STATUS_COLOURS = {
    DeliveryStatus.ON_TRACK: "green",
    DeliveryStatus.AT_RISK: "red",
    DeliveryStatus.DELIVERED: "blue",
    DeliveryStatus.PAUSED: "grey",
}
PHASE_TEXT = {
    Phase.NOMINATIONS: "Practices, PCNs and members propose priorities, each with a rationale.",
    Phase.CONSOLIDATION: "The executive merges duplicates into options; who proposed what is kept.",
    Phase.SCORING: "Each practice scores the options in a ballot, cast by a signatory.",
    Phase.ADOPTION: "The group adopts the top priorities, each with a lead and a review date.",
    Phase.DELIVERY: "Each adopted priority reports its progress to practices.",
}


def phase_tag(phase: str) -> dict[str, str]:
    return {"text": Phase(phase).label, "classes": f"nhsuk-tag--{PHASE_COLOURS[Phase(phase)]}"}


def status_tag(status: str) -> dict[str, str]:
    value = DeliveryStatus(status)
    return {"text": value.label, "classes": f"nhsuk-tag--{STATUS_COLOURS[value]}"}


@dataclass(frozen=True)
class Step:
    phase: Phase
    text: str
    started: datetime | None
    state: str  # "done", "current" or "to come"


def steps(round: PriorityRound, changes: list[PhaseChange]) -> list[Step]:
    started = {c.phase: c.created_at for c in changes}
    current = PHASES.index(Phase(round.phase))
    return [
        Step(
            phase,
            PHASE_TEXT[phase],
            started.get(phase),
            "done" if i < current else "current" if i == current else "to come",
        )
        for i, phase in enumerate(PHASES)
    ]


MOVED = {
    Phase.CONSOLIDATION: "Nominations are closed. Merge duplicates into options next.",
    Phase.SCORING: "The scoring ballot is scheduled. It opens and closes on time by itself.",
    Phase.ADOPTION: "The round is in adoption: adopt the top priorities, each with a lead.",
    Phase.DELIVERY: "The round is in delivery: leads and officers can now post updates for practices.",
}


def moved_message(target: Phase | None) -> str:
    return MOVED.get(target, "The round has moved on.") if target else "The round has moved on."
