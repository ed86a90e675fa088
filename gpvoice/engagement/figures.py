"""The engagement view's kept figures: each practice's and PCN's taking part in a calendar year.

Computed from the registered signals (core.engagement) a page of practices at a time, and kept in
``PracticeEngagement`` and ``PcnEngagement`` (replaced whole for a group and year in one
transaction), so that the view, the dashboard and the annual report read a bounded page of rows
whatever the size of the footprint. Refreshed nightly and on an officer's request.

A practice's engagement is *thin* when it was asked at least once and took part in less than a
third of what it was asked (``THIN_BELOW``); exactly a third is not thin.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from gpvoice.core import engagement
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.footprint import lock_groups
from gpvoice.directory.selectors import footprint_practices

from .models import PcnEngagement, PracticeEngagement

THIN_BELOW = Fraction(1, 3)
CHUNK = 500


def share(took: int, asked: int) -> float | None:
    return None if asked == 0 else took / asked


def is_thin(took: int, asked: int) -> bool:
    return asked > 0 and Fraction(took, asked) < THIN_BELOW


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def _practice_rows(group: LeadershipGroup, year: int) -> list[PracticeEngagement]:
    start, end = year_bounds(year)
    practices = list(footprint_practices(group=group).order_by("pk").values_list("pk", "pcn_id"))
    rows = []
    for i in range(0, len(practices), CHUNK):
        chunk = practices[i : i + CHUNK]
        found = engagement.counts(group, [pk for pk, _ in chunk], start, end)
        for pk, pcn_id in chunk:
            figures = {key: list(answers.get(pk, (0, 0))) for key, answers in found.items()}
            took = sum(v[0] for v in figures.values())
            asked = sum(v[1] for v in figures.values())
            rows.append(
                PracticeEngagement(
                    group=group,
                    year=year,
                    practice_id=pk,
                    pcn_id=pcn_id,
                    figures=figures,
                    took=took,
                    asked=asked,
                    share=share(took, asked),
                )
            )
    return rows


def _pcn_rows(group: LeadershipGroup, year: int, practices: list[PracticeEngagement]) -> list[PcnEngagement]:
    sums: dict[int | None, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    counts: dict[int | None, int] = defaultdict(int)
    for row in practices:
        counts[row.pcn_id] += 1
        for key, (took, asked) in row.figures.items():
            sums[row.pcn_id][key][0] += took
            sums[row.pcn_id][key][1] += asked
    out = []
    for pcn_id, figures in sums.items():
        took = sum(v[0] for v in figures.values())
        asked = sum(v[1] for v in figures.values())
        out.append(
            PcnEngagement(
                group=group,
                year=year,
                pcn_id=pcn_id,
                practices=counts[pcn_id],
                figures=dict(figures),
                took=took,
                asked=asked,
                share=share(took, asked),
            )
        )
    return out


def refresh(group: LeadershipGroup, year: int | None = None) -> int:
    """Recompute and replace a group's figures for a year (this year by default); returns practices."""
    year = year or timezone.localdate().year
    practices = _practice_rows(group, year)
    pcns = _pcn_rows(group, year, practices)
    with transaction.atomic():
        # The group's row serialises replacements: the nightly job and an officer's recount at once
        # each replace the whole year in turn, never interleaving their deletes and inserts.
        lock_groups([group.pk])
        PracticeEngagement.objects.filter(group=group, year=year).delete()
        PcnEngagement.objects.filter(group=group, year=year).delete()
        PracticeEngagement.objects.bulk_create(practices, batch_size=1000)
        PcnEngagement.objects.bulk_create(pcns, batch_size=1000)
    return len(practices)


def refresh_all(now: object = None) -> int:
    from gpvoice.directory.models import FootprintEntry

    groups = LeadershipGroup.objects.filter(pk__in=FootprintEntry.objects.values("group_id")).order_by("pk")
    return sum(refresh(group) for group in groups)
