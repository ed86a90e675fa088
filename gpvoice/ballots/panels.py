"""What ballots show on a group's home page: the ballots open now."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core.formats import when
from gpvoice.core.panels import register

from . import selectors, services


@register
def open_ballots_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    services.advance_due_in(group=group)  # the clock, checked as the vote page checks it
    ballots = list(selectors.open_ballots(group=group)[:5])
    lines = [f"{b.title}: closes {when(b.closes_at)}." for b in ballots if b.closes_at]
    return {
        "title": "Ballots",
        "lines": lines or ["No ballot is open at the moment."],
        "links": [("All ballots and results", reverse("ballots:list", args=[group.slug]))],
    }
