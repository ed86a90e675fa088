"""How far a PCN's practices agree about their PCN (the relationship check's results).

A PCN is *divided* when at least two of its practices answered and their own stances lie two or
more steps apart on the spectrum (e.g. friends and rivals; allies and neighbours). One step apart
(friends and neighbours) is ordinary disagreement; a PCN with a single answer cannot be divided.
"""

from __future__ import annotations

from collections.abc import Mapping

from .templates import POSITION, SPECTRUM

DIVIDED_STEPS = 2


def positions(counts: Mapping[str, int]) -> list[int]:
    return [POSITION[v] for v, n in counts.items() if v in POSITION and n > 0]


def is_divided(counts: Mapping[str, int]) -> bool:
    """``counts``: spectrum value -> number of the PCN's practices that chose it."""
    if sum(n for v, n in counts.items() if v in POSITION) < 2:
        return False
    found = positions(counts)
    return max(found) - min(found) >= DIVIDED_STEPS


def spread_text(counts: Mapping[str, int]) -> str:
    """'2 allies, 1 rivals' in spectrum order."""
    return ", ".join(f"{counts[v]} {v}" for v, _ in SPECTRUM if counts.get(v))
