"""How each app tells the engagement view which practices took part, so that ``engagement``
imports no other domain app (issue 16, item 4).

An app registers one signal per kind of taking part, in its ``AppConfig.ready()``::

    engagement.register(Signal("events.attended", "Attended a session", attended_sessions, order=60))

A signal's ``counter(group, practice_ids, start, end)`` answers, for each of the given practices
(``directory.Organisation`` ids in the group's footprint), ``(took_part, asked)``: how many times
the practice took part in the period ``[start, end)`` out of how many it was asked or could have
(ballots it was an elector in, consultations sent to it, sessions it could book). A practice that
was never asked is left out or given ``(0, 0)``. The counter runs a fixed number of queries for any
number of ids (the view hands it one page of practices, or the practices of one page of PCNs).
People count for the practices where they hold a current appointment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from .models import LeadershipGroup

Counter = Callable[[LeadershipGroup, Sequence[int], date, date], dict[int, tuple[int, int]]]


@dataclass(frozen=True)
class Signal:
    key: str  # "governance.ratified", "ballots.voted", "engagement.responded", "events.attended"
    label: str  # a column heading: "Ratified the mandate"
    counter: Counter
    order: int = 100


_SIGNALS: dict[str, Signal] = {}


def register(signal: Signal) -> Signal:
    """Add a kind of taking part; registering the same key again replaces it."""
    _SIGNALS[signal.key] = signal
    return signal


def signals() -> list[Signal]:
    return sorted(_SIGNALS.values(), key=lambda s: (s.order, s.key))


def counts(
    group: LeadershipGroup, practice_ids: Sequence[int], start: date, end: date
) -> dict[str, dict[int, tuple[int, int]]]:
    """Every registered signal's answer for these practices: signal key -> practice id -> pair."""
    return {s.key: s.counter(group, practice_ids, start, end) for s in signals()}
