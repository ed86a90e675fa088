"""What ballots show on a group's home page: the ballots open now, and the votes the person has to cast."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core import todo
from gpvoice.core.context import group_of, per_request
from gpvoice.core.formats import when
from gpvoice.core.panels import register
from gpvoice.core.todo import Todo
from gpvoice.directory.me import me

from . import selectors, services


def _clock(request: HttpRequest) -> None:
    """Bring the group's ballots up to time, once for the whole home page (panel and to-do)."""
    group = group_of(request)
    per_request(request, "ballots.clock", lambda: services.advance_due_in(group=group))


@register(shared=True)
def open_ballots_panel(request: HttpRequest) -> dict[str, Any]:
    group = group_of(request)
    _clock(request)  # the clock, checked as the vote page checks it
    ballots = list(selectors.open_ballots(group=group)[:5])
    lines = [f"{b.title}: closes {when(b.closes_at)}." for b in ballots if b.closes_at]
    return {
        "title": "Ballots",
        "lines": lines or ["No ballot is open at the moment."],
        "links": [("All ballots and results", reverse("ballots:list", args=[group.slug]))],
    }


@todo.register
def ballots_to_do(request: HttpRequest) -> list[Todo]:
    """Each open ballot the person may vote in, once per practice they sign for (or once as a core
    member), done or not. One query for every ballot and practice, whatever their number."""
    group = group_of(request)
    _clock(request)  # the clock first: a ballot past its closing time is not to do
    mine = me(request)
    if not mine.signs_for and mine.person_id is None:
        return []  # no practice to vote for, and no person to vote as
    rows = selectors.my_open_electors(
        group=group,
        user=request.user,
        practices=list(mine.signs_for),
        people=[mine.person_id] if mine.person_id else [],
    )
    found = []
    for elector in rows:
        ballot = elector.ballot
        who = f" for {elector.practice.name}" if elector.practice_id else ""  # type: ignore[union-attr]
        done_text = (
            f"Voted{who} on {when(elector.voted_at)}."  # type: ignore[attr-defined]
            if elector.voted_at  # type: ignore[attr-defined]
            else f"A vote has been cast{who}."
        )
        found.append(
            Todo(
                text=f"Vote in “{ballot.title}”{who}",
                href=reverse("ballots:vote", args=[group.slug, ballot.pk]) + "?from=home",
                due=ballot.closes_at,
                done=elector.has_voted,  # type: ignore[attr-defined]
                done_text=done_text,
            )
        )
    return found
