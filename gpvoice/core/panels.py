"""Panels other apps add to a group's home page, so core never imports them.

A panel function takes the request (with ``request.group`` and ``request.membership``) and
returns a dict for the template, or None to show nothing.

Most panels show the group's state, the same for every member of one role: the mandate's
coverage, the next meeting, the ballots open. Those are registered ``shared`` and kept in the
cache for the group and role, under the group's audit sequence (every governed write moves it, so
a member sees their own answer at once) and the current minute (so what changes with the clock
alone, such as the next meeting once one starts, is at most a minute old): ``core.kept``. A panel
that shows the person's own things (their overdue actions) is registered as it is and worked out
every time. With the cache unreachable, every panel is worked out, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from .kept import kept

Panel = Callable[[HttpRequest], dict[str, Any] | None]
_PANELS: list[tuple[Panel, bool]] = []


def register(panel: Panel | None = None, *, shared: bool = False) -> Any:
    """``@register`` for a panel of the person's own things; ``@register(shared=True)`` for one that
    shows the group's state alone (it may look at the member's role, which is part of the key)."""

    def add(found: Panel) -> Panel:
        if all(found is not known for known, _ in _PANELS):
            _PANELS.append((found, shared))
        return found

    return add if panel is None else add(panel)


def _signature() -> str:
    """Which shared panels there are, in order: a release that adds one never reads the last one's."""
    names = ",".join(f"{p.__module__}.{p.__qualname__}" for p, shared in _PANELS if shared)
    return hashlib.sha256(names.encode()).hexdigest()[:12]


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    group, membership = request.group, request.membership  # type: ignore[attr-defined]
    shared_count = sum(shared for _, shared in _PANELS)
    group_wide = kept(
        group,
        f"home-panels:{_signature()}:{membership.role}",
        lambda: [panel(request) for panel, shared in _PANELS if shared],
        accept=lambda found: len(found) == shared_count,
    )
    in_turn = iter(group_wide)
    shown = [next(in_turn) if shared else panel(request) for panel, shared in _PANELS]
    return [panel for panel in shown if panel is not None]
