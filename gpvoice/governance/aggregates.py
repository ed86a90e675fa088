"""Mandate coverage, kept rather than recomputed (ADR 0008).

Each round's coverage (overall, and per PCN, by practices and by registered patients, in each
answer state) is stored in ``RoundCoverage`` and ``RoundPcnCoverage`` and kept equal to a full
recount of the rows:

- an answer moves one practice from its previous state to its new one (``record_answer``), in
  the answer's transaction, under the round's lock that serialises the round's answers;
- a footprint change, a directory import that moves, closes or re-sizes practices, or a
  practice saved through the ORM recounts every round of the groups concerned (``recount``),
  through ``directory.footprint.footprints_changed``, in that change's transaction;
- opening a round counts it for the first time.

Lock discipline: recounts lock the rounds (ascending id) after the directory has locked their
group, so a recount and an answer never interleave: the answer holds the round's lock while it
reads the practice and moves the counts, and a recount waits for it, then reads every committed
answer. Pages read the stored rows; the threshold rule (``coverage.Coverage.meets``) stays a pure
function applied to the stored counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from gpvoice.directory.footprint import footprints_changed
from gpvoice.directory.models import Organisation
from gpvoice.directory.selectors import footprint_practices

from . import coverage as cov
from .models import COVERAGE_STATES, MandateAnswer, MandateRound, RoundCoverage, RoundPcnCoverage

Counts = dict[int | None, tuple[dict[str, int], dict[str, int]]]  # pcn id → (practices, patients)


def empty_counts() -> tuple[dict[str, int], dict[str, int]]:
    return dict.fromkeys(COVERAGE_STATES, 0), dict.fromkeys(COVERAGE_STATES, 0)


def count_rows(round: MandateRound) -> Counts:
    """A full recount from the rows: the footprint's active practices, each in the state of its
    current answer ("none" without one). One grouped query, at most five rows per PCN."""
    current = MandateAnswer.objects.filter(round=round, is_current=True, practice=OuterRef("pk")).values(
        "answer"
    )[:1]
    rows = (
        footprint_practices(group=round.group)
        .order_by()
        .annotate(state=Coalesce(Subquery(current), Value("none")))
        .values("pcn_id", "state")
        .annotate(n=Count("pk"), patients=Coalesce(Sum("list_size"), 0))
    )
    counts: Counts = defaultdict(empty_counts)
    for row in rows:
        practices, patients = counts[row["pcn_id"]]
        practices[row["state"]] += row["n"]
        patients[row["state"]] += row["patients"]
    return dict(counts)


def stored_counts(round: MandateRound) -> Counts:
    return {row.pcn_id: row.counts() for row in RoundPcnCoverage.objects.filter(round=round)}


def _fields(practices: dict[str, int], patients: dict[str, int]) -> dict[str, int]:
    return {f"{a}_practices": practices[a] for a in COVERAGE_STATES} | {
        f"{a}_patients": patients[a] for a in COVERAGE_STATES
    }


def _overall(counts: Counts) -> tuple[dict[str, int], dict[str, int]]:
    practices, patients = empty_counts()
    for p, n in counts.values():
        for a in COVERAGE_STATES:
            practices[a] += p[a]
            patients[a] += n[a]
    return practices, patients


def recount(round: MandateRound) -> None:
    """Replace the round's stored coverage with a full recount. The caller holds the round's lock
    (or has just created the round under its group's lock)."""
    counts = count_rows(round)
    RoundCoverage.objects.update_or_create(round=round, defaults=_fields(*_overall(counts)))
    RoundPcnCoverage.objects.filter(round=round).delete()
    RoundPcnCoverage.objects.bulk_create(
        [RoundPcnCoverage(round=round, pcn_id=pcn, **_fields(*c)) for pcn, c in counts.items()],
        batch_size=1000,
    )


def record_answer(*, round: MandateRound, practice: Mapping[str, Any], before: str, after: str) -> None:
    """Move one practice (``pk``, ``pcn_id``, ``list_size`` as read under the round's lock) from
    state ``before`` to ``after``: two UPDATEs whatever the footprint's size."""
    if before == after:
        return
    patients = practice["list_size"] or 0
    change = {
        f"{before}_practices": F(f"{before}_practices") - 1,
        f"{before}_patients": F(f"{before}_patients") - patients,
        f"{after}_practices": F(f"{after}_practices") + 1,
        f"{after}_patients": F(f"{after}_patients") + patients,
    }
    overall = RoundCoverage.objects.filter(round=round).update(**change)
    by_pcn = RoundPcnCoverage.objects.filter(round=round, pcn_id=practice["pcn_id"]).update(**change)
    if (overall, by_pcn) != (1, 1):
        recount(round)  # rows missing (never counted): count them now, in this transaction


def lock_rounds(group_ids: Iterable[int]) -> list[MandateRound]:
    # Why: see the module docstring (group rows are already locked; rounds next, ascending id).
    return list(
        MandateRound.objects.select_for_update(of=("self",))
        .select_related("group")
        .filter(group_id__in=list(group_ids))
        .order_by("pk")
    )


@receiver(footprints_changed, dispatch_uid="governance-coverage-follows-footprints")
def _footprints_changed(sender: Any, group_ids: list[int], **kwargs: Any) -> None:
    for round in lock_rounds(group_ids):
        recount(round)


@transaction.atomic
def rebuild(group_ids: Iterable[int] | None = None) -> int:
    """Recount every round (of these groups); returns how many."""
    rounds = (
        lock_rounds(group_ids)
        if group_ids is not None
        else lock_rounds(MandateRound.objects.values_list("group_id", flat=True).distinct())
    )
    for round in rounds:
        recount(round)
    return len(rounds)


def differences(round: MandateRound) -> list[str]:
    """How the stored coverage differs from a full recount; empty when it agrees."""
    counted, kept = count_rows(round), stored_counts(round)
    overall = RoundCoverage.objects.filter(round=round).first()
    problems = []
    if overall is None:
        problems.append("no stored coverage")
    elif overall.counts() != _overall(counted):
        problems.append("overall counts differ from the recount")
    names = dict(
        Organisation.objects.filter(pk__in=[k for k in counted | kept if k]).values_list("pk", "name")
    )
    for pcn in sorted(set(counted) | set(kept), key=lambda k: (k is None, names.get(k or 0, ""))):
        if counted.get(pcn) != kept.get(pcn):
            problems.append(f"{names.get(pcn or 0, 'No PCN')} differs from the recount")
    return problems


def as_coverage(counts: Counts, overall: tuple[dict[str, int], dict[str, int]] | None = None) -> cov.Coverage:
    """Counts by PCN id as a ``coverage.Coverage`` keyed by PCN name (two PCNs of one name merge,
    as the recount always did)."""
    names = dict(Organisation.objects.filter(pk__in=[k for k in counts if k]).values_list("pk", "name"))
    by_pcn: dict[str, cov.Tally] = {}
    for pcn, (practices, patients) in counts.items():
        tally = by_pcn.setdefault(names.get(pcn, "No PCN") if pcn else "No PCN", cov.Tally())
        for a in COVERAGE_STATES:
            tally.practices[a] += practices[a]
            tally.patients[a] += patients[a]
    practices, patients = overall or _overall(counts)
    return cov.Coverage(cov.Tally(dict(practices), dict(patients)), dict(sorted(by_pcn.items())))
