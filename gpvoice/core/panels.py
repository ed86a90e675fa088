"""Panels other apps add to a group's home page, so core never imports them.

A panel function takes the request (with ``request.group`` and ``request.membership``) and
returns a dict for the template, or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest], dict[str, Any] | None]
_PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    _PANELS.append(panel)
    return panel


def home_panels(request: HttpRequest) -> list[dict[str, Any]]:
    return [shown for panel in _PANELS if (shown := panel(request)) is not None]
