"""What priority setting shows on a group's home page: the latest round and adopted priorities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core import todo
from gpvoice.core.panels import register
from gpvoice.core.todo import Todo

from . import selectors
from .models import DeliveryStatus, Phase

PHASE_LINES = {
    Phase.NOMINATIONS: "Nominations are open: any member can propose a priority.",
    Phase.CONSOLIDATION: "The executive is merging duplicate nominations.",
    Phase.SCORING: "Practices are scoring the options.",
    Phase.ADOPTION: "The group is adopting the top priorities.",
    Phase.DELIVERY: "The adopted priorities are being delivered.",
}


@register(shared=True)
def priorities_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    links = [("Priority setting", reverse("priorities:list", args=[group.slug]))]
    latest = selectors.latest_round(group=group)
    if latest is None:
        return {"title": "Priorities", "lines": ["No priority-setting round yet."], "links": links}
    lines = [f"{latest.title}: {PHASE_LINES[Phase(latest.phase)]}"]
    lines += [
        f"{p.title}: {DeliveryStatus(p.status).label.lower()}." for p in selectors.latest_adopted(group=group)
    ]
    links.insert(0, (latest.title, reverse("priorities:detail", args=[group.slug, latest.pk])))
    return {"title": "Priorities", "lines": lines, "links": links}


@todo.register
def nominations_to_do(request: HttpRequest) -> list[Todo]:
    """Each round open for nominations: any member may propose a priority until the executive moves
    the round on (rounds set no closing date for nominations)."""
    group = request.group  # type: ignore[attr-defined]
    if not getattr(request.user, "is_authenticated", False):
        return []
    found = []
    for round in selectors.rounds_nominating(group=group, user=request.user):
        mine = round.my_nominations  # type: ignore[attr-defined]
        found.append(
            Todo(
                text=f"Nominations are open for “{round.title}”: propose a priority "
                "(open until the executive closes nominations)",
                href=reverse("priorities:detail", args=[group.slug, round.pk]),
                done=mine > 0,
                done_text=f"You proposed {mine} priorit{'ies' if mine != 1 else 'y'} for “{round.title}”.",
            )
        )
    return found
