"""Panels other apps add to a group's home page, so core never imports them.

A panel function takes the request (with ``request.group`` and ``request.membership``) and
returns a dict for the template, or None to show nothing.

Most panels show the group's state, the same for every member of one role: the mandate's
coverage, the next meeting, the ballots open. Those are registered ``shared`` and kept in the
cache for the group and role, under the group's audit sequence (every governed write moves it, so
a member sees their own answer at once) and the current minute (so what changes with the clock
alone, such as the next meeting once one starts, is at most a minute old). A panel that shows the
person's own things (their overdue actions) is registered as it is and worked out every time.
With the cache unreachable, every panel is worked out, as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditChain

Panel = Callable[[HttpRequest], dict[str, Any] | None]
_PANELS: list[tuple[Panel, bool]] = []
KEPT_FOR = 120  # seconds; the key changes every minute, so an entry is never read after that

log = logging.getLogger(__name__)


def register(panel: Panel | None = None, *, shared: bool = False) -> Any:
    """``@register`` for a panel of the person's own things; ``@register(shared=True)`` for one that
    shows the group's state alone (it may look at the member's role, which is part of the key)."""

    def add(found: Panel) -> Panel:
        if all(found is not known for known, _ in _PANELS):
            _PANELS.append((found, shared))
        return found

    return add if panel is None else add(panel)


def _key(request: HttpRequest) -> str:
    group, membership = request.group, request.membership  # type: ignore[attr-defined]
    sequence = (
        AuditChain.objects.filter(key=AuditChain.key_for(group.pk))
        .values_list("last_sequence", flat=True)
        .first()
    )
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return f"home-panels:{_signature()}:{group.pk}:{membership.role}:{sequence or 0}:{minute}"


def _signature() -> str:
    """Which shared panels there are, in order: a release that adds one never reads the last one's."""
    names = ",".join(f"{p.__module__}.{p.__qualname__}" for p, shared in _PANELS if shared)
    return hashlib.sha256(names.encode()).hexdigest()[:12]


def _cached(key: str) -> list[dict[str, Any] | None] | None:
    try:
        return cache.get(key)
    except Exception:  # the cache is down: work the panels out instead
        log.warning("home panels: cache unreachable on read")
        return None


def _keep(key: str, shown: list[dict[str, Any] | None]) -> None:
    try:
        cache.set(key, shown, KEPT_FOR)
    except Exception:
        log.warning("home panels: cache unreachable on write")


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    key = _key(request)
    group_wide = _cached(key)
    if group_wide is None or len(group_wide) != sum(shared for _, shared in _PANELS):
        group_wide = [panel(request) for panel, shared in _PANELS if shared]
        _keep(key, group_wide)
    kept = iter(group_wide)
    shown = [next(kept) if shared else panel(request) for panel, shared in _PANELS]
    return [panel for panel in shown if panel is not None]
