"""Aggregates the app keeps instead of recomputing on every page (ADR 0008), rebuilt and checked
against a full recount of the rows: each group's resolved footprint (``FootprintPractice``) and
each mandate round's coverage (``RoundCoverage``, ``RoundPcnCoverage``), and each group's monthly
service levels of the single point of access (``intake.MonthlyServiceLevel``).

``rebuild_derived`` is what bulk writers that bypass the services (``load-scale``, a restore of
old data) call afterwards; ``gpvoice recount`` runs it, and ``--check`` and ``verify-data`` use
``derived_differences``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory import footprint
from gpvoice.governance import aggregates
from gpvoice.governance.models import MandateRound
from gpvoice.intake import kept as intake_kept


@dataclass(frozen=True)
class Rebuilt:
    groups: int
    rounds: int
    service_months: int = 0


@transaction.atomic
def rebuild_derived(group: LeadershipGroup | None = None, *, actor: Any = None) -> Rebuilt:
    """Resolve every footprint (or one group's) afresh and recount its mandate rounds, in one
    transaction, under the locks the services take (group rows, then their rounds), then record
    it (the audit chain's head is the last lock taken)."""
    groups = footprint.rebuild(group)  # footprints_changed recounts these groups' rounds
    rebuilt = Rebuilt(
        groups=len(groups),
        rounds=MandateRound.objects.filter(group_id__in=groups).count(),
        service_months=intake_kept.rebuild(group),
    )
    audit.record(
        action="operations.aggregates.rebuilt",
        actor=actor,
        group=group,
        data={"groups": rebuilt.groups, "rounds": rebuilt.rounds, "service_months": rebuilt.service_months},
    )
    return rebuilt


def derived_differences(group: LeadershipGroup | None = None) -> list[str]:
    """Every way the kept aggregates differ from a full recount; empty when they agree."""
    problems = footprint.differences(group)
    rounds = MandateRound.objects.select_related("group").order_by("pk")
    if group is not None:
        rounds = rounds.filter(group=group)
    for round in rounds:
        problems += [
            f"mandate round {round.pk} ({round.group.slug}): {p}" for p in aggregates.differences(round)
        ]
    return problems + intake_kept.differences(group)
