"""What each app shows at a glance, so core never imports the apps (issue 18).

Four places show a group's records side by side, each with its own registry; an app registers a
section function in its ``AppConfig.ready()`` (as home panels do, ``core.panels``)::

    glance.register_dashboard("representation", representation_tile, order=40)
    glance.register_public("positions", published_positions, order=30)
    glance.register_practice_record("bookings", practice_bookings, order=50)
    glance.register_annual_report("representation", representation_year, order=40)

* **dashboard** ``fn(group) -> Section | None``: the officers' dashboard (officers only).
* **public** ``fn(group) -> Section | None``: the group's public page and its JSON. Only what the
  group has chosen to publish: organisations, names and roles people agreed to show, figures;
  never a secret choice, a sounding-board plan, one practice's confidential answer or contact details.
* **practice record** ``fn(group, practice) -> Section | None``: everything about one practice
  (an ``directory.Organisation``) for its signatories, on a page and in one export.
* **annual report** ``fn(group, start, end) -> Section | None``: the group's year, ``start``
  inclusive, ``end`` exclusive.

A section function runs a fixed number of queries whatever the size of the group (it reads kept
aggregates or a bounded page, never the whole footprint), and returns None when it has nothing to
show, so a page works with whichever apps a deployment has.

Charts: ``Bars``, ``Heatmap`` and ``SmallMultiples`` (one small ``Bars`` per PCN, say) are drawn as
accessible SVG by ``gpvoice.glance.charts``, with the same figures in a table beside each.

A public section's ``href`` should lead to the list behind its figure, itself public: such a view is
``@public``, resolves the group with ``public_group(slug)`` (a 404 unless the group opted in), renders
``core/public_list.jinja`` (layout ``layouts/public.jinja``, which never reads the signed-in user) and
returns ``public_cache(response)``. Governance's ``public_views`` are the example.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .models import LeadershipGroup


@dataclass(frozen=True)
class Table:
    """Rows of text for the NHS.UK table macro (and the CSV export): ``head`` names the columns."""

    head: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass(frozen=True)
class Bars:
    """A bar chart: one bar per ``(label, share from 0 to 1, text shown beside it)``."""

    title: str
    bars: list[tuple[str, float, str]]
    description: str = ""


@dataclass(frozen=True)
class Heatmap:
    """A grid: one row per ``(label, [share from 0 to 1 or None when not applicable, ...])``
    under ``columns``; every cell is also printed as a number, so colour is never the only cue."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[float | None]]]
    description: str = ""


@dataclass(frozen=True)
class SmallMultiples:
    """The same small bar chart repeated for each of several things (one per PCN, say): each of
    ``panels`` is a ``Bars`` whose title names its thing, with the same bar labels in the same order."""

    title: str
    panels: list[Bars]
    description: str = ""


@dataclass(frozen=True)
class Section:
    """One block of a glance page: a heading, a few headline figures (``summary`` as label, value),
    an optional table and chart, a link to the page behind it (``href``: "how this was computed"),
    and ``data``, the machine-readable form for JSON."""

    key: str
    title: str
    summary: list[tuple[str, str]] = field(default_factory=list)
    table: Table | None = None
    chart: Bars | Heatmap | SmallMultiples | None = None
    href: str = ""
    href_text: str = ""
    data: dict[str, Any] = field(default_factory=dict)


GroupSection = Callable[[LeadershipGroup], Section | None]
PracticeSection = Callable[[LeadershipGroup, Any], Section | None]
YearSection = Callable[[LeadershipGroup, date, date], Section | None]

_DASHBOARD: dict[str, tuple[int, GroupSection]] = {}
_PUBLIC: dict[str, tuple[int, GroupSection]] = {}
_PRACTICE: dict[str, tuple[int, PracticeSection]] = {}
_REPORT: dict[str, tuple[int, YearSection]] = {}


def register_dashboard(key: str, fn: GroupSection, *, order: int = 100) -> None:
    _DASHBOARD[key] = (order, fn)


def register_public(key: str, fn: GroupSection, *, order: int = 100) -> None:
    _PUBLIC[key] = (order, fn)


def register_practice_record(key: str, fn: PracticeSection, *, order: int = 100) -> None:
    _PRACTICE[key] = (order, fn)


def register_annual_report(key: str, fn: YearSection, *, order: int = 100) -> None:
    _REPORT[key] = (order, fn)


def _ordered(registry: dict[str, tuple[int, Any]]) -> list[Any]:
    return [fn for _, (_, fn) in sorted(registry.items(), key=lambda kv: (kv[1][0], kv[0]))]


def dashboard(group: LeadershipGroup) -> list[Section]:
    return [s for fn in _ordered(_DASHBOARD) if (s := fn(group)) is not None]


def public(group: LeadershipGroup) -> list[Section]:
    return [s for fn in _ordered(_PUBLIC) if (s := fn(group)) is not None]


def practice_record(group: LeadershipGroup, practice: Any) -> list[Section]:
    return [s for fn in _ordered(_PRACTICE) if (s := fn(group, practice)) is not None]


def annual_report(group: LeadershipGroup, start: date, end: date) -> list[Section]:
    return [s for fn in _ordered(_REPORT) if (s := fn(group, start, end)) is not None]


# The public page and the pages behind its figures (issue 18) -----------------------------------

PUBLIC_MAX_AGE = 60  # seconds: the public page and its JSON are never more than a minute old


def public_group(slug: str) -> LeadershipGroup:
    """The group whose public page is switched on, by slug (one query); anything else, a group
    that has not opted in included, is a 404 that says nothing about whether it exists."""
    from django.http import Http404

    found = LeadershipGroup.objects.filter(slug=slug, public_page=True).first() if slug.isascii() else None
    if found is None:
        raise Http404("No such page")
    return found


def public_cache(response: Any) -> Any:
    """Let browsers and proxies keep a public page for at most ``PUBLIC_MAX_AGE`` seconds."""
    from django.utils.cache import patch_cache_control

    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
