"""Small-number suppression for what members see of a confidential consultation.

A question answered by fewer than ``ENGAGEMENT_MIN_CELL`` (default 3) is shown as "fewer than 3
answers", with no counts, shares or average. Otherwise any count from 1 to the threshold less one
is hidden as "fewer than 3"; and since members can work out a question's total (the shares, the
number answered), when only one cell of a question whose cells add up to its total is hidden, the
next smallest is hidden too, so that the total minus the shown cells never gives a hidden one.
A scale's average is withheld whenever any of its points is hidden (average × total and the shown
points would give the hidden ones). Officers, who see each practice's answers, see every count.
"""

from __future__ import annotations

from django.conf import settings


def threshold() -> int:
    return max(1, int(settings.ENGAGEMENT_MIN_CELL))


def hidden_cells(counts: list[int], min_cell: int, *, adds_up: bool) -> list[bool]:
    """Which cells to hide: the small ones, and (when the cells add up to a known total and only
    one is hidden) a complementary one, the smallest other non-zero cell, else the smallest other."""
    hidden = [0 < n < min_cell for n in counts]
    if adds_up and sum(hidden) == 1:
        shown = [i for i, h in enumerate(hidden) if not h]
        nonzero = [i for i in shown if counts[i]]
        candidates = nonzero or shown
        if candidates:
            hidden[min(candidates, key=lambda i: (counts[i], i))] = True
    return hidden


def too_few(min_cell: int) -> str:
    return f"Fewer than {min_cell} answers: hidden so that no practice's answers can be read."


def officer_note() -> str:
    return (
        f"Members see these totals with any count below {threshold()} hidden, so that no "
        "practice's answers can be read from them."
    )
