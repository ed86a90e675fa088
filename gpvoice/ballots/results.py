"""From stored ballots to the published figures: one function, used at close and by `gpvoice tally`.

``compute`` is pure (plain data in, a JSON-ready dict out) so the close service, the tally command
and the tests all produce the same figures from the same ballots. Both weightings are always
worked out: the ballot's weighting decides, the other is shown beside it.

Secret ballots never carry exact patient-weighted totals out of this module: the figures go
through ``disclosure`` first (see its docstring for the subset-sum argument).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import disclosure, tally
from .contents import as_tally_ballot
from .models import RANKED_METHODS, THRESHOLD_METHODS, Method, TieBreak, Weighting

ABSTAIN = "abstain"
NO_THRESHOLD = "Not used: this method chooses its winner by its own rule"


@dataclass(frozen=True)
class Rules:
    method: str
    weighting: str
    is_secret: bool
    threshold: Fraction
    threshold_label: str
    threshold_strict: bool  # True for a simple majority ("more than"); else "at least"
    quorum_practices: Fraction | None
    quorum_patients: Fraction | None
    tie_break: str
    tie_seed: str
    patients_apply: bool  # False for a core-member electorate
    secret_min_turnout: int = 5  # secret ballots: per-option figures withheld below this turnout


@dataclass(frozen=True)
class Cast:
    content: dict[str, Any]
    weight: int  # registered patients (1 for a member)


def percent(value: Fraction) -> str:
    """A share for people: one decimal place, rounded half up, from the exact fraction."""
    tenths = (value * 1000 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}%"


def tie_order(options: Sequence[str], rules: Rules) -> list[str]:
    """The order that breaks ties: as listed, or a draw reproducible from the recorded seed."""
    order = list(options)
    if rules.tie_break == TieBreak.SEEDED:
        random.Random(rules.tie_seed).shuffle(order)  # noqa: S311 - reproducible by design
    return order


def compute(
    *,
    rules: Rules,
    options: Sequence[tuple[str, str]],
    electorate_count: int,
    electorate_patients: int,
    casts: Sequence[Cast],
    electorate_weights: Sequence[int] | None = None,
) -> dict[str, Any]:
    """The published result. ``electorate_weights`` (every elector's weight) is needed for a
    secret ballot of practices: its turnout by patients is published only as a safe range."""
    ids = [i for i, _ in options]
    labels = dict(options)
    order = tie_order(ids, rules)
    by_count = [as_tally_ballot(c.content, 1) for c in casts]
    by_patients = [as_tally_ballot(c.content, c.weight) for c in casts]
    abstained = [c for c in casts if c.content.get("abstain")]
    turnout_count, turnout_patients = len(casts), sum(c.weight for c in casts)

    quorum = _quorum(rules, turnout_count, turnout_patients, electorate_count, electorate_patients)
    result: dict[str, Any] = {
        "method": rules.method,
        "method_label": Method(rules.method).label,
        "weighting": rules.weighting,
        "weighting_label": Weighting(rules.weighting).label,
        "secret": rules.is_secret,
        "patients_apply": rules.patients_apply,
        "tie_break": rules.tie_break,
        "tie_seed": rules.tie_seed,
        "tie_order": [labels[i] for i in order],
        "electorate": {
            "count": electorate_count,
            "patients": electorate_patients if rules.patients_apply else None,
        },
        "turnout": {
            "count": turnout_count,
            "count_share": percent(Fraction(turnout_count, electorate_count)) if electorate_count else "0.0%",
            "patients": turnout_patients if rules.patients_apply else None,
            "patients_share": (
                percent(Fraction(turnout_patients, electorate_patients))
                if rules.patients_apply and electorate_patients
                else None
            ),
        },
        "abstentions": {"count": len(abstained)},
        "withheld": None,
        "quorum": quorum,
        "threshold": {
            "share": str(rules.threshold) if rules.method in THRESHOLD_METHODS else None,
            "label": rules.threshold_label if rules.method in THRESHOLD_METHODS else NO_THRESHOLD,
        },
        "abstentions_note": "Abstentions count towards the quorum but not towards the threshold.",
    }
    counted = _count(rules.method, by_count, order)
    weighted = _count(rules.method, by_patients, order) if rules.patients_apply else None
    result["options"] = _option_rows(rules, ids, labels, counted, weighted, casts)
    if rules.method == Method.IRV:
        result["rounds"] = _rounds(counted, labels)
        if weighted is not None and not rules.is_secret:
            result["rounds_patients"] = _rounds(weighted, labels)
    if rules.method == Method.SCHULZE:
        result["pairwise"] = _pairwise(counted, ids, labels)
        if weighted is not None and not rules.is_secret:
            result["pairwise_patients"] = _pairwise(weighted, ids, labels)
    result["outcome"] = _outcome(rules, ids, labels, counted, weighted, quorum["met"])
    if rules.is_secret:
        _protect_secret(result, rules, casts, electorate_weights)
    return result


def _protect_secret(
    result: dict[str, Any], rules: Rules, casts: Sequence[Cast], electorate_weights: Sequence[int] | None
) -> None:
    """A secret ballot publishes nothing that could identify a practice: its turnout by patients
    only as a range that every practice could be in or out of, and, below its minimum turnout,
    no figure per option at all (a handful of votes could be told apart by their counts)."""
    turnout = result["turnout"]
    if rules.patients_apply:
        turnout["patients"] = None
        turnout["patients_share"] = _secret_turnout_share(casts, electorate_weights)
    if len(casts) >= rules.secret_min_turnout:
        return
    result["withheld"] = (
        f"Each option's figures are withheld: {len(casts)} of the electorate voted, fewer than the "
        f"{rules.secret_min_turnout} this secret ballot needs before they are shown, so that nobody's "
        "vote can be told from them. The outcome and the turnout are published."
    )
    result["abstentions"]["count"] = None
    turnout["patients_share"] = disclosure.WITHHELD if rules.patients_apply else None
    for row in result["options"]:
        row.update(count=None, count_share=None, patients=None)
        if rules.patients_apply:
            row.update(patients_share=disclosure.WITHHELD, patients_range=["0", "1"])
    for key in ("rounds", "rounds_patients", "pairwise", "pairwise_patients"):
        result.pop(key, None)


def _secret_turnout_share(casts: Sequence[Cast], electorate_weights: Sequence[int] | None) -> str:
    """The voters' share of the electorate's patients, as ``disclosure`` publishes a share: the
    electorate split into "voted" and "did not", every elector's weight known to all."""
    if electorate_weights is None:
        return disclosure.WITHHELD
    weights = list(electorate_weights)
    voted = sum(c.weight for c in casts)
    if len(casts) > len(weights) or voted > sum(weights):
        return disclosure.WITHHELD
    try:
        published = disclosure.publish_weighted_shares(
            voter_weights=weights,
            counts={"voted": len(casts), "not": len(weights) - len(casts)},
            totals={"voted": voted, "not": sum(weights) - voted},
        )[0]
    except ValueError:  # the weights do not fit together (an elector's weight changed): say nothing
        return disclosure.WITHHELD
    return published.text


def _quorum(
    rules: Rules, count: int, patients: int, electorate: int, electorate_patients: int
) -> dict[str, Any]:
    checks = []
    if rules.quorum_practices is not None:
        checks.append(tally.quorum_met(count, electorate, rules.quorum_practices))
    if rules.quorum_patients is not None and rules.patients_apply:
        checks.append(tally.quorum_met(patients, electorate_patients, rules.quorum_patients))
    return {
        "practices": percent(rules.quorum_practices) if rules.quorum_practices is not None else None,
        "patients": percent(rules.quorum_patients) if rules.quorum_patients is not None else None,
        "met": all(checks),
        "set": bool(checks),
    }


def _count(method: str, ballots: list[tally.Ballot], order: list[str]) -> Any:
    if method in (Method.YES_NO, Method.SINGLE):
        return tally.plurality(ballots, order)
    if method == Method.APPROVAL:
        return tally.approval(ballots, order)
    if method == Method.POINTS:
        return tally.points(ballots, order)
    if method == Method.IRV:
        return tally.instant_runoff(ballots, order)
    return tally.schulze(ballots, order)


def _first_round(result: Any) -> dict[str, int]:
    if isinstance(result, tally.RunoffResult):
        return result.rounds[0].counts if result.rounds else {}
    return dict(result.totals)


def first_preferences(casts: Sequence[Cast], ids: list[str], *, weighted: bool) -> dict[str, int]:
    """For Schulze, which has no rounds: how many (or how many patients) ranked each option first."""
    totals = dict.fromkeys(ids, 0)
    for cast in casts:
        ranking = cast.content.get("ranking") or []
        if ranking:
            totals[ranking[0]] += cast.weight if weighted else 1
    return totals


def _option_rows(
    rules: Rules,
    ids: list[str],
    labels: dict[str, str],
    counted: Any,
    weighted: Any,
    casts: Sequence[Cast],
) -> list[dict[str, Any]]:
    if rules.method == Method.SCHULZE:
        counts = first_preferences(casts, ids, weighted=False)
        patients = first_preferences(casts, ids, weighted=True) if weighted is not None else {}
    else:
        counts = _first_round(counted)
        patients = _first_round(weighted) if weighted is not None else {}
    rows = []
    shares: dict[str, disclosure.PublishedShare] = {}
    if rules.is_secret and rules.patients_apply and rules.method in THRESHOLD_METHODS:
        shares = _secret_shares(ids, casts)
    count_total, patient_total = sum(counts.values()), sum(patients.values())
    for option in ids:
        row: dict[str, Any] = {"id": option, "label": labels[option], "count": counts.get(option)}
        if counts:
            row["count_share"] = percent(Fraction(counts[option], count_total)) if count_total else "0.0%"
        if not rules.patients_apply:
            row["patients"] = None
            row["patients_share"] = None
        elif rules.is_secret:
            row["patients"] = None
            published = shares.get(option)
            row["patients_share"] = published.text if published else disclosure.WITHHELD
            # The same range, exactly, for machines (and for anyone re-running the attack).
            row["patients_range"] = [str(published.low), str(published.high)] if published else ["0", "1"]
        else:
            row["patients"] = patients.get(option)
            row["patients_share"] = (
                percent(Fraction(patients[option], patient_total)) if patients and patient_total else None
            )
        rows.append(row)
    return rows


def _secret_shares(ids: list[str], casts: Sequence[Cast]) -> dict[str, disclosure.PublishedShare]:
    """Patient shares among everyone who voted (abstaining counts as one more choice), coarsened."""
    counts = dict.fromkeys([*ids, ABSTAIN], 0)
    totals = dict.fromkeys(counts, 0)
    for cast in casts:
        key = cast.content.get("choice", ABSTAIN)
        counts[key] += 1
        totals[key] += cast.weight
    published = disclosure.publish_weighted_shares(
        voter_weights=[c.weight for c in casts], counts=counts, totals=totals
    )
    return {p.option: p for p in published}


def _rounds(result: tally.RunoffResult, labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "counts": {labels[o]: v for o, v in r.counts.items()},
            "exhausted": r.exhausted,
            "eliminated": labels[r.eliminated] if r.eliminated else None,
        }
        for r in result.rounds
    ]


def _pairwise(result: tally.SchulzeResult, ids: list[str], labels: dict[str, str]) -> dict[str, Any]:
    return {
        "labels": [labels[o] for o in ids],
        "matrix": [[result.pairwise[a][b] if a != b else None for b in ids] for a in ids],
        "strongest": [[result.strongest[a][b] if a != b else None for b in ids] for a in ids],
        "ranking": [labels[o] for o in result.ranking],
    }


def _leader_passes(result: tally.Totals, rules: Rules, ids: list[str]) -> bool:
    """Yes/no: the share of yes among yes and no. Single choice: the leading option's share of
    every vote for an option. Either against the threshold, strictly for a simple majority."""
    if rules.method == Method.YES_NO:
        yes, no = ids[0], ids[1]
        return tally.passes(
            result.totals[yes], result.totals[no], rules.threshold, strictly=rules.threshold_strict
        )
    if result.winner is None:
        return False
    leader = result.totals[result.winner]
    return tally.passes(
        leader, sum(result.totals.values()) - leader, rules.threshold, strictly=rules.threshold_strict
    )


def _outcome(
    rules: Rules, ids: list[str], labels: dict[str, str], counted: Any, weighted: Any, quorum_met: bool
) -> dict[str, Any]:
    if not quorum_met:
        return {
            "decided": False,
            "winner": None,
            "passes": None,
            "text": "No decision: the quorum was not met.",
        }
    deciding = weighted if rules.weighting == Weighting.LIST_SIZE and weighted is not None else counted
    if rules.method in THRESHOLD_METHODS:
        checks = [_leader_passes(deciding, rules, ids)]
        if rules.weighting == Weighting.DOUBLE and weighted is not None:
            # The threshold applies to practices and to patients separately. Only a single
            # choice has several options that could lead: there both limbs must lead with the
            # same one. A yes/no question has one proposal, carried when both limbs say yes.
            checks = [_leader_passes(counted, rules, ids), _leader_passes(weighted, rules, ids)]
            if rules.method == Method.SINGLE and counted.winner != weighted.winner:
                checks.append(False)
        passed = all(checks)
        if rules.method == Method.YES_NO:
            text = "Carried." if passed else "Not carried."
            if rules.weighting == Weighting.DOUBLE:
                text += (
                    f" Practices: {'yes' if checks[0] else 'no'} majority;"
                    f" patients: {'yes' if checks[1] else 'no'} majority."
                )
            return {
                "decided": True,
                "winner": labels[ids[0]] if passed else None,
                "passes": passed,
                "text": text,
            }
        winner = deciding.winner
        if passed and winner is not None:
            return {
                "decided": True,
                "winner": labels[winner],
                "passes": True,
                "text": f"{labels[winner]} is chosen.",
            }
        return {
            "decided": True,
            "winner": None,
            "passes": False,
            "text": f"No option reached the threshold ({rules.threshold_label.lower()}).",
        }
    winner = deciding.winner
    if winner is None:
        return {"decided": True, "winner": None, "passes": None, "text": "No option received support."}
    text = f"{labels[winner]} wins."
    if rules.method == Method.SCHULZE:
        text += " Order: " + ", ".join(labels[o] for o in deciding.ranking) + "."
    elif rules.method in RANKED_METHODS:
        text += f" Decided in round {len(deciding.rounds)}."
    return {"decided": True, "winner": labels[winner], "passes": None, "text": text}
