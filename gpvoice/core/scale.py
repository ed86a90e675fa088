"""Volume that each capability adds to a national-size workspace (``gpvoice load-scale``).

Core defines the registry and what a loader is handed; apps join it, never the reverse (as
``core/panels.py``). The directory, the groups and the people are built first by the command
itself; then every registered loader runs in the order it was registered, and adds its own
records for the groups it is handed. A later capability (meetings, events, …) adds one loader::

    # gpvoice/nonprod/scale/events.py
    def load_events(ctx: ScaleContext) -> Part:
        ...  # bulk_create in batches, with the audit entries the services would write
        return Part("sessions", path="bulk", counts={"sessions": n, "bookings": m})

    # gpvoice/nonprod/apps.py, in ready():
    scale.register("events", load_events)

A loader says which path it took (``service`` when it calls the app's services, ``bulk`` when
it writes rows in batches, or both), so the command can print it with its counts and time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import LeadershipGroup


@dataclass
class Part:
    """What one step made: its name, the path it took, how many of each record, how long."""

    name: str
    path: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class ScaleContext:
    """What a loader is handed: the groups (the national one first) with their footprint practices
    and an admin user each, the sizes asked for (``ballots``, ``choices``, … as the command's
    options), and the users who sign for each practice, for writes made in their name."""

    groups: list[LeadershipGroup]
    national: LeadershipGroup
    sizes: dict[str, int]
    footprints: dict[int, list[Any]]  # group id -> its practices (Organisation), by ODS code
    admins: dict[int, Any]  # group id -> an admin User of the group
    signatories: dict[int, list[int]]  # practice id -> ids of users who sign for it
    emails: dict[int, str]  # user id -> email (the audit log's actor label)
    persons: dict[int, int]  # user id -> their Person id
    seed: int = 2026
    extra: dict[str, Any] = field(default_factory=dict)


Loader = Callable[[ScaleContext], Part]
_LOADERS: dict[str, Loader] = {}


def register(name: str, loader: Loader) -> Loader:
    """Add a capability's volume; registering the same name again replaces the loader."""
    _LOADERS[name] = loader
    return loader


def loaders() -> list[tuple[str, Loader]]:
    return list(_LOADERS.items())
