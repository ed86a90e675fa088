"""What the single point of access shows on a group's home page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core.panels import register

from . import selectors


@register(shared=True)
def requests_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    door = reverse("intake:front_door", args=[group.slug])
    links = [("The public request form", door)]
    lines = ["System partners ask the group through its single point of access."]
    if request.membership.is_officer:  # type: ignore[attr-defined]
        counts = selectors.queue_counts(group=group)
        lines = [f"{counts['new']} new, {counts['open']} open, {counts['breached']} past their due date."]
        links.insert(0, ("Requests", reverse("intake:queue", args=[group.slug])))
    return {"title": "Requests", "lines": lines, "links": links}
