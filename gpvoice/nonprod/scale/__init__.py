"""``gpvoice load-scale``: a national-size workspace, built step by step, each step timed.

Order: the directory (importers), the groups (services), the people (bulk), then every loader
registered in ``gpvoice.core.scale`` (ballots and mandate rounds here; later capabilities add
theirs), then the derived data is rebuilt, and one platform audit entry records the run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from gpvoice.core import audit, scale
from gpvoice.core.models import LeadershipGroup
from gpvoice.core.scale import Part, ScaleContext

from .derived import rebuild_derived, refresh_statistics
from .directory import load_directory
from .workspace import NATIONAL_SLUG, SLUG_PREFIX, load_groups, load_people

DEFAULTS = {"people": 60_000, "ballots": 2_000, "choices": 1_000_000}


class AlreadyLoaded(Exception):
    pass


@dataclass(frozen=True)
class Options:
    data_dir: Path
    practices: int | None = None  # None: every practice of the map
    people: int = DEFAULTS["people"]
    ballots: int = DEFAULTS["ballots"]
    choices: int = DEFAULTS["choices"]
    synthetic: bool = False
    seed: int = 2026


def refuse_if_loaded() -> None:
    """load-scale builds once per database: a second run would double every count."""
    existing = LeadershipGroup.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if existing:
        raise AlreadyLoaded(
            f"load-scale has already run against this database ({existing} groups named "
            f"{SLUG_PREFIX}…, the national one is {NATIONAL_SLUG}). It builds once and does not top up: "
            "point DATABASE_URL at a fresh database, run `gpvoice migrate`, then load-scale."
        )


def _fast_commits() -> None:
    """PostgreSQL: this session's commits do not wait for the disk. A crash may lose the last
    commits of the load (never corrupt anything); the load is re-run into a fresh database anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def _took(part: Part, started: float) -> Part:
    part.seconds = time.perf_counter() - started
    return part


def load_scale(options: Options, report: Callable[[Part], None]) -> list[Part]:
    refuse_if_loaded()
    _fast_commits()
    parts: list[Part] = []

    def keep(part: Part) -> None:
        parts.append(part)
        report(part)

    started = time.perf_counter()
    part, area = load_directory(
        data_dir=options.data_dir, practices=options.practices, synthetic=options.synthetic, seed=options.seed
    )
    keep(_took(part, started))
    started = time.perf_counter()
    part, made = load_groups(area)
    keep(_took(part, started))
    started = time.perf_counter()
    part, staff = load_people(area=area, groups=made, total=options.people)
    keep(_took(part, started))
    ctx = ScaleContext(
        groups=made.all,
        national=made.national,
        sizes={"people": options.people, "ballots": options.ballots, "choices": options.choices},
        footprints=made.footprints,
        admins=made.admins,
        signatories=staff.signatories,
        emails=staff.emails,
        persons=staff.person_of,
        seed=options.seed,
    )
    for _name, loader in scale.loaders():
        started = time.perf_counter()
        keep(_took(loader(ctx), started))
    started = time.perf_counter()
    keep(_took(rebuild_derived(), started))
    started = time.perf_counter()
    keep(_took(refresh_statistics(), started))
    # The run itself, on the platform's chain: what was made and by which path.
    audit.record(
        action="nonprod.scale.loaded",
        data={"parts": {p.name: {"path": p.path, **p.counts} for p in parts}},
    )
    return parts
