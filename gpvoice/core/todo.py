"""What a member has to do in a group, for the top of its home page, so core never imports the apps.

An app registers a provider in its ``AppConfig.ready()``, as home panels do (``core.panels``)::

    todo.register(ballots_to_do)

A provider takes the request (with ``request.group`` and ``request.membership``) and returns
``Todo`` items, done or not. It reads in a fixed number of queries however many practices the
person signs for and however many ballots are open (one query for all of them, never one each),
so the home page's cost does not grow with the group.

Apps also say what the person *is* in the group beyond their role (``register_role``), e.g.
"Signatory of Riverside Surgery", shown wherever the role is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from .formats import when


@dataclass(frozen=True)
class Todo:
    """One thing to act on: ``text`` says what, ``href`` where, ``due`` by when (if there is a
    deadline); once ``done``, ``done_text`` says what was done (e.g. "Voted on 4 December")."""

    text: str
    href: str
    due: datetime | None = None
    done: bool = False
    done_text: str = ""


Provider = Callable[[HttpRequest], list[Todo]]
RoleLines = Callable[[HttpRequest], list[str]]
_PROVIDERS: list[Provider] = []
_ROLE_LINES: list[RoleLines] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def register_role(lines: RoleLines) -> RoleLines:
    if lines not in _ROLE_LINES:
        _ROLE_LINES.append(lines)
    return lines


def _order(item: Todo) -> tuple[bool, bool, datetime | str]:
    # Not done first; among them, the nearest deadline first; undated after dated.
    return (item.done, item.due is None, item.due or item.text)


def items(request: HttpRequest) -> list[Todo]:
    found = [item for provider in _PROVIDERS for item in provider(request)]
    return sorted(found, key=_order)


def role_lines(request: HttpRequest) -> list[str]:
    return [line for lines in _ROLE_LINES for line in lines(request)]


def todo_rows(found: list[Todo]) -> dict[str, list[dict[str, str]]]:
    """What the template shows: the items still to do, with their deadline in words, and those done."""
    now = timezone.now()
    to_do = [
        {
            "text": item.text,
            "href": item.href,
            "due": f"by {when(item.due)}" if item.due else "",
            "soon": "yes" if item.due and (item.due - now).total_seconds() < 48 * 3600 else "",
        }
        for item in found
        if not item.done
    ]
    done = [{"text": item.done_text or item.text, "href": item.href} for item in found if item.done]
    return {"to_do": to_do, "done": done}
