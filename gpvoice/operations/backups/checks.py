"""What a restore is checked against: the audit chains, every ballot's recount and every mandate
round's coverage, recomputed from the restored rows and compared with the figures the backup
recorded when it was made (and, for ballots, with the result stored at close; for footprints and
coverage, with the aggregates kept for pages: ADR 0008)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from gpvoice.ballots.models import Ballot, Kind, Status
from gpvoice.ballots.services import compute_result
from gpvoice.core import audit
from gpvoice.directory import footprint
from gpvoice.governance import aggregates
from gpvoice.governance.models import MandateRound
from gpvoice.governance.selectors import recounted_coverage


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _digest(value: Any) -> str:
    text = json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }


def _counted_ballots() -> list[Ballot]:
    return list(
        Ballot.objects.filter(kind=Kind.BALLOT, status__in=[Status.CLOSED, Status.PUBLISHED])
        .select_related("group")
        .order_by("pk")
    )


def _coverage(round: MandateRound) -> dict[str, Any]:
    """A full recount from the rows (never the stored figures, which are checked against it)."""
    c = recounted_coverage(round=round)
    return {
        "overall": {"practices": c.overall.practices, "patients": c.overall.patients},
        "by_pcn": {pcn: {"practices": t.practices, "patients": t.patients} for pcn, t in c.by_pcn.items()},
    }


def snapshot() -> dict[str, Any]:
    """The figures a backup records about itself (read-only)."""
    return {
        "rows": row_counts(),
        "results": {str(b.pk): _digest(b.result) for b in _counted_ballots()},
        "coverage": {
            str(r.pk): _digest(_coverage(r))
            for r in MandateRound.objects.select_related("group").order_by("pk")
        },
    }


def _chains() -> Check:
    verify_all = getattr(audit, "verify_all_chains", None)
    reports = list(verify_all()) if verify_all is not None else [audit.verify_chain()]
    broken = [r for r in reports if not r.ok]
    checked = sum(getattr(r, "checked", 0) for r in reports)
    if broken:
        where = ", ".join(f"entry {getattr(r, 'first_broken_id', '?')}" for r in broken)
        return Check("audit chains", False, f"{len(broken)} of {len(reports)} chains broken ({where}).")
    return Check("audit chains", True, f"{len(reports)} chain(s) intact, {checked} entries.")


def _rows(expected: dict[str, int]) -> Check:
    now = row_counts()
    differ = sorted(
        f"{label}: {expected[label]} in the backup, {now.get(label)} here"
        for label in expected
        if now.get(label) != expected[label]
    )
    if differ:
        return Check("row counts", False, "; ".join(differ[:10]))
    return Check(
        "row counts", True, f"{len(expected)} tables, {sum(expected.values())} rows, as in the backup."
    )


def _results(expected: dict[str, str] | None) -> Check:
    problems, ballots = [], _counted_ballots()
    for ballot in ballots:
        try:
            recount = compute_result(ballot=ballot)
        except Exception as exc:  # a seal no key opens, a damaged row: a finding, not a crash
            why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            hint = " (secret: is BALLOT_SEAL_KEY the key it was sealed with?)" if ballot.is_secret else ""
            problems.append(f"ballot {ballot.pk} cannot be recounted ({why}){hint}")
            continue
        if recount != ballot.result:
            problems.append(f"ballot {ballot.pk}: the recount differs from the stored result")
        elif expected is not None and expected.get(str(ballot.pk)) != _digest(ballot.result):
            problems.append(f"ballot {ballot.pk}: the stored result differs from the backup's")
    if expected is not None and (missing := set(expected) - {str(b.pk) for b in ballots}):
        problems.append(f"counted ballots missing: {', '.join(sorted(missing))}")
    if problems:
        return Check("ballot recounts", False, "; ".join(problems[:10]))
    return Check("ballot recounts", True, f"{len(ballots)} closed ballots recount to their stored results.")


def _coverages(expected: dict[str, str] | None) -> Check:
    rounds = list(MandateRound.objects.select_related("group").order_by("pk"))
    kept, backed = [], []
    for r in rounds:
        if aggregates.differences(r):
            kept.append(f"mandate round {r.pk} ({r.group.slug})")
        if expected is not None and expected.get(str(r.pk)) != _digest(_coverage(r)):
            backed.append(f"mandate round {r.pk} ({r.group.slug})")
    if expected is not None and (missing := set(expected) - {str(r.pk) for r in rounds}):
        backed.append(f"rounds missing: {', '.join(sorted(missing))}")
    problems = []
    if kept:
        problems.append("the stored coverage differs from a recount: " + "; ".join(kept[:10]))
    if backed:
        problems.append("differs from the backup's: " + "; ".join(backed[:10]))
    if problems:
        return Check("mandate coverage", False, " / ".join(problems))
    same = ", as in the backup" if expected is not None else ""
    return Check(
        "mandate coverage",
        True,
        f"{len(rounds)} mandate rounds recomputed, equal to the stored coverage{same}.",
    )


def _footprints() -> Check:
    problems = footprint.differences()
    if problems:
        return Check("footprints", False, "; ".join(problems[:10]))
    return Check("footprints", True, "every group's stored footprint equals its entries resolved afresh.")


def verify(expected: dict[str, Any] | None = None) -> list[Check]:
    """Every check; with ``expected`` (a backup's snapshot), also compare with it."""
    checks = [_chains()]
    if expected is not None:
        checks.append(_rows(expected["rows"]))
    checks.append(_results(expected["results"] if expected is not None else None))
    checks.append(_footprints())
    checks.append(_coverages(expected["coverage"] if expected is not None else None))
    return checks
