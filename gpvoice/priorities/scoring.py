"""Pure functions on a scoring ballot: breadth of support and the order of the result.

Breadth answers "how widely is this supported?", beside the score's "how strongly?": an option
backed by many points from three practices is not the same as one backed a little by thirty.
A practice supports an option if its current vote gave the option more than 0 points (points)
or ranked it at all (ranked); an abstention supports nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Breadth:
    practices: int
    pcns: int

    @property
    def text(self) -> str:
        return f"{plural(self.practices, 'practice')}, {plural(self.pcns, 'PCN')}"


NO_SUPPORT = Breadth(0, 0)


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def supported(content: Mapping[str, Any]) -> set[str]:
    """The option ids one stored vote supports."""
    if not isinstance(content, Mapping) or content.get("abstain"):
        return set()
    points = content.get("points")
    if isinstance(points, Mapping):
        return {str(option) for option, given in points.items() if type(given) is int and given > 0}
    ranking = content.get("ranking")
    if isinstance(ranking, list):
        return {str(option) for option in ranking}
    return set()


def count_breadth(votes: Iterable[tuple[Mapping[str, Any], int, int | None]]) -> dict[str, Breadth]:
    """``votes`` are (content, elector id, elector's PCN id): distinct practices and PCNs per option."""
    electors: dict[str, set[int]] = {}
    pcns: dict[str, set[int]] = {}
    for content, elector_id, pcn_id in votes:
        for option in supported(content):
            electors.setdefault(option, set()).add(elector_id)
            if pcn_id is not None:
                pcns.setdefault(option, set()).add(pcn_id)
    return {option: Breadth(len(ids), len(pcns.get(option, ()))) for option, ids in electors.items()}


@dataclass(frozen=True)
class Placed:
    """One option of a published result, in result order."""

    rank: int
    option_id: str
    label: str
    score: int | None  # total points; None for a ranked ballot
    score_text: str


def ordered(result: Mapping[str, Any]) -> list[Placed]:
    """The options of a published points or Schulze result, best first, ties as the ballot broke them."""
    rows = {row["label"]: row for row in result.get("options", [])}
    if "pairwise" in result:
        return _ranked(result["pairwise"], rows)
    tie_order = {label: i for i, label in enumerate(result.get("tie_order", rows))}
    by_points = sorted(rows.values(), key=lambda r: (-(r.get("count") or 0), tie_order.get(r["label"], 0)))
    return [
        Placed(i, str(row["id"]), row["label"], row.get("count") or 0, plural(row.get("count") or 0, "point"))
        for i, row in enumerate(by_points, start=1)
    ]


def _ranked(pairwise: Mapping[str, Any], rows: Mapping[str, Any]) -> list[Placed]:
    labels: list[str] = list(pairwise["labels"])
    matrix: list[list[int | None]] = pairwise["matrix"]
    index = {label: i for i, label in enumerate(labels)}
    others = len(labels) - 1
    placed = []
    for rank, label in enumerate(pairwise["ranking"], start=1):
        a = index[label]
        wins = sum(1 for b in range(len(labels)) if b != a and (matrix[a][b] or 0) > (matrix[b][a] or 0))
        text = f"Preferred to {wins} of {plural(others, 'other option')} head to head"
        placed.append(Placed(rank, str(rows[label]["id"]), label, None, text))
    return placed
