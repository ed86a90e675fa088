"""What other apps offer a meeting's agenda, and who is on a group's roll, so core never imports them.

Apps register in their ``AppConfig.ready()`` (as they do home panels, ``core.panels``):

* an **agenda provider** ``provider(group, since) -> Iterable[Offer]``: what is due for the next
  meeting of ``group`` (``since`` is when its last held meeting began, or None). A provider runs a
  fixed number of queries whatever the size of the group, and offers only the group's own records.
* optionally a **noting handler** for its source, ``note(group, ref, actor)``: the group notes the
  record at a held meeting (the app's own audited service does the write and checks the actor).
  It raises ``AgendaRefused`` with a message fit to show when it cannot.
* a **roll reader** ``reader(group) -> Iterable[(person_id, status)]``: who is invited to the
  group's meetings (status ``core``, ``attendee`` or ``observer``).

The meetings app reads these; a deployment without an app simply has no items from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .models import LeadershipGroup


@dataclass(frozen=True)
class Offer:
    """One thing due for a meeting's agenda, pointing back at its source record."""

    source: str  # the registered source key, e.g. "governance.decision"
    ref: str  # the record's id within that source
    title: str
    href: str = ""
    heading: str = "For discussion"  # the agenda section it belongs under
    notable: bool = False  # the group notes it (a noting handler is registered)
    organisation_id: int | None = None  # the organisation it concerns, for conflicts of interest


class AgendaRefused(Exception):
    """A noting handler could not note the record; the message is fit to show."""


Provider = Callable[[LeadershipGroup, datetime | None], Iterable[Offer]]
Noter = Callable[[LeadershipGroup, str, Any], None]
RollReader = Callable[[LeadershipGroup], Iterable[tuple[int, str]]]

_PROVIDERS: dict[str, Provider] = {}
_NOTERS: dict[str, Noter] = {}
_ROLL: list[RollReader] = []


def register(source: str, provider: Provider, *, note: Noter | None = None) -> None:
    """Offer agenda items from ``source``; ``note`` notes one of them at a held meeting."""
    _PROVIDERS[source] = provider
    if note is not None:
        _NOTERS[source] = note


def register_roll(reader: RollReader) -> None:
    _ROLL.append(reader)


def offers(group: LeadershipGroup, since: datetime | None) -> list[Offer]:
    """Everything due for the group's next meeting, from every registered source, in source order."""
    return [offer for provider in _PROVIDERS.values() for offer in provider(group, since)]


def can_note(source: str) -> bool:
    return source in _NOTERS


def note(source: str, *, group: LeadershipGroup, ref: str, actor: Any) -> None:
    """Note the record ``ref`` of ``source`` for ``group``; AgendaRefused when it cannot be."""
    noter = _NOTERS.get(source)
    if noter is None:
        raise AgendaRefused("This item is not something the group notes.")
    noter(group, ref, actor)


def roll(group: LeadershipGroup) -> list[tuple[int, str]]:
    """Who is on the group's roll now: (person id, status) pairs, each person once."""
    seen: dict[int, str] = {}
    for reader in _ROLL:
        for person_id, status in reader(group):
            seen.setdefault(person_id, status)
    return list(seen.items())
