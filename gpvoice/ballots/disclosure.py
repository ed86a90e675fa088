"""Weighted figures of a secret ballot, published without revealing how any practice voted.

Every practice's weight (its registered list size) is public, so is who voted, and the number of
votes for each option is published exactly. The exact patient-weighted total of an option is not:
with the weights public, anyone could solve the subset-sum problem and recover who chose what.
Instead each option's share of the counted weight is published as a band ("between 50% and 55%")
of the first of ``steps`` per cent that is safe, or withheld.

*Safe.* For an option chosen by ``k`` of the ``n`` voters, a set of possible weighted totals is
safe when for every voter some ``k``-subset with a total in the set contains them and another
leaves them out: knowing the total lies in the set, nobody's choice can be told. When ``k`` is 0
or ``n`` the counts already tell everything, so the exact share (0% or 100%) is published.

*What an observer learns is the cell, not the band.* Someone who knows this algorithm learns more
than the band: a 10% band also says that the 5% band around the share was not used. So the bands
are laid out from public facts alone (weights and counts), never from the secret total. For each
step in turn, each band takes the totals that no band before it has taken (its *cell*), and is
accepted if that cell is safe and so is what remains untaken, which is the "withheld" cell. Only
then is the secret total looked up. What is published is a function of the cell the total falls
in, and every cell is safe. (Choosing the band from the total, first safe band wins, gives votes
away: see the tests.)

*Deciding safety.* Exactly, by listing every way of choosing the option's voters, when there are
at most ``EXACT_SUBSETS`` ways (every electorate of up to 20). Otherwise by a sufficient condition
(``certainly_achievable``); when that cannot show a cell safe, it is treated as unsafe, so a
coarser band or withholding follows. Never the other way round.

*Several options.* When only two options got votes (yes/no, or a single choice), the second
option's share is one minus the first's; its band is the mirror of the first's and says nothing
more. When three or more options got votes, the check is per option ("chose X" against "did not
choose X"): an observer combining the bands of several options may learn more than any one band
shows, and this module does not rule that out.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import comb
from typing import Protocol

# Checked exactly, subset by subset, when an option's voters can be chosen in at most this many
# ways: every electorate of up to 20, and larger ones where few voted one way.
EXACT_SUBSETS = comb(20, 10)
WITHHELD = "withheld: would reveal how individual practices voted"

Cell = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive ranges of weighted totals
Band = tuple[int, int]  # low and high, in whole per cent


@dataclass(frozen=True)
class PublishedShare:
    """One option's weighted share of the counted weight, as published.

    The share lies between ``low`` and ``high`` inclusive; they are equal when the share is exact
    (0% or 100%, known from the counts). A withheld share says only that it lies in [0, 1].
    """

    option: str
    low: Fraction
    high: Fraction
    text: str
    withheld: bool


def publish_weighted_shares(
    *,
    voter_weights: Sequence[int],
    counts: Mapping[str, int],
    totals: Mapping[str, int],
    steps: Sequence[int] = (5, 10, 25, 50),
) -> list[PublishedShare]:
    """The publishable weighted share of each option, in the order of ``counts``.

    ``voter_weights`` are those of the practices that chose an option (abstentions left out),
    ``counts`` the number that chose each option and ``totals`` the secret weighted totals.
    """
    weights = tuple(voter_weights)
    _check(weights, counts, totals, steps)
    n, counted = len(weights), sum(weights)
    live = [option for option, count in counts.items() if 0 < count < n] if counted else []
    bands: dict[str, Band | None] = {}
    if len(live) == 2:
        first, second = live
        band = bands[first] = _band_of(weights, counts[first], totals[first], tuple(steps))
        bands[second] = None if band is None else (100 - band[1], 100 - band[0])
    else:
        for option in live:
            bands[option] = _band_of(weights, counts[option], totals[option], tuple(steps))
    return [_published(option, counted, totals[option], bands) for option in counts]


def _published(option: str, counted: int, total: int, bands: Mapping[str, Band | None]) -> PublishedShare:
    if option not in bands:  # chosen by nobody or everybody, or nothing was counted
        share = Fraction(total, counted) if counted else Fraction(0)
        return PublishedShare(option, share, share, f"{share * 100}%", withheld=False)
    band = bands[option]
    if band is None:
        return PublishedShare(option, Fraction(0), Fraction(1), WITHHELD, withheld=True)
    low, high = band
    text = f"between {low}% and {high}%"
    return PublishedShare(option, Fraction(low, 100), Fraction(high, 100), text, withheld=False)


def _check(
    weights: Sequence[int], counts: Mapping[str, int], totals: Mapping[str, int], steps: Sequence[int]
) -> None:
    if set(counts) != set(totals):
        raise ValueError("counts and totals must name the same options")
    if any(w < 0 for w in weights) or any(c < 0 for c in counts.values()):
        raise ValueError("weights and counts cannot be negative")
    if sum(counts.values()) != len(weights):
        raise ValueError("every voter must have chosen exactly one option")
    if sum(totals.values()) != sum(weights):
        raise ValueError("the weighted totals must add up to the counted weight")
    ordered = sorted(weights)
    for option, count in counts.items():
        if not sum(ordered[:count]) <= totals[option] <= sum(ordered[len(ordered) - count :]):
            raise ValueError(f"no {count} voters can have a weighted total of {totals[option]}")
    if any(not 0 < step <= 100 for step in steps):
        raise ValueError("steps are whole per cent between 1 and 100")


def _band_of(weights: tuple[int, ...], count: int, total: int, steps: tuple[int, ...]) -> Band | None:
    for cell, band in _cells(weights, count, steps):
        if any(lo <= total <= hi for lo, hi in cell):
            return band
    return None  # unreachable: the cells cover every total from 0 to the counted weight


@lru_cache(maxsize=64)
def _cells(
    weights: tuple[int, ...], count: int, steps: tuple[int, ...]
) -> tuple[tuple[Cell, Band | None], ...]:
    """Every total from 0 to the counted weight, sorted into cells, each with the band it is
    published as (None: withheld). Depends on public facts only; see the module docstring."""
    n = len(weights)
    exact = comb(n, count) <= EXACT_SUBSETS
    oracle: _Oracle = _Enumerated(weights, count) if exact else _Bounded(weights, count)
    counted = sum(weights)
    left: Cell = ((0, counted),)  # safe: every k-subset is in it
    accepted: list[tuple[Cell, Band]] = []
    for step in steps:
        for band in _bands(step):
            cell = _clip(left, *_totals_in(band, counted))
            if not cell or not oracle.safe(cell):
                continue
            # What is left over is published too (as "withheld"), so it must stay safe.
            rest = _minus(left, cell)
            if oracle.possible(rest) and not oracle.safe(rest):
                continue
            accepted.append((cell, band))
            left = rest
    return (*accepted, (left, None))


def _bands(step: int) -> Iterator[Band]:
    """[low, high) per cent; the last band, ending at 100%, includes it."""
    for low in range(0, 100, step):
        yield low, min(low + step, 100)


def _totals_in(band: Band, counted: int) -> tuple[int, int]:
    """The whole totals t with low <= t / counted < high (<= when high is 100%)."""
    low, high = band
    first = -(-low * counted // 100)
    last = counted if high == 100 else -(-high * counted // 100) - 1
    return first, last


# Cells: a few inclusive ranges of totals ------------------------------------------------------


def _clip(cell: Cell, lo: int, hi: int) -> Cell:
    return tuple((max(a, lo), min(b, hi)) for a, b in cell if a <= hi and b >= lo)


def _minus(cell: Cell, taken: Cell) -> Cell:
    kept: list[tuple[int, int]] = []
    for a, b in cell:
        for c, d in taken:
            if d < a or c > b:
                continue
            if c > a:
                kept.append((a, c - 1))
            a = max(a, d + 1)
        if a <= b:
            kept.append((a, b))
    return tuple(kept)


# Deciding whether a cell is safe ---------------------------------------------------------------


class _Oracle(Protocol):
    def safe(self, cell: Cell) -> bool:
        """Sound: True only if every voter is in some k-subset totalling in the cell, and out of one."""

    def possible(self, cell: Cell) -> bool:
        """Sound: False only if no k-subset totals in the cell."""


class _Enumerated:
    """Exact: every k-subset, grouped by total, with the voters in some subset of that total
    (``union``) and in all of them (``common``), as bitmasks. Subsets are a subset of the first
    half joined to one of the second, and when k > n / 2, complements of (n - k)-subsets."""

    def __init__(self, weights: Sequence[int], count: int) -> None:
        n, h = len(weights), len(weights) // 2
        self.everyone = (1 << n) - 1
        fewer = min(count, n - count)
        first, second = (
            _subsets_by_size(weights, range(h), fewer),
            _subsets_by_size(weights, range(h, n), fewer),
        )
        grouped: dict[int, tuple[int, int]] = {}
        for size in range(max(0, fewer - (n - h)), min(h, fewer) + 1):
            for total_a, mask_a in first[size]:
                for total_b, mask_b in second[fewer - size]:
                    total, mask = total_a + total_b, mask_a | mask_b
                    union, common = grouped.get(total, (0, mask))
                    grouped[total] = (union | mask, common & mask)
        if fewer < count:  # in some k-subset = out of some complement; in all = out of all
            counted = sum(weights)
            grouped = {counted - t: (self.everyone ^ c, self.everyone ^ u) for t, (u, c) in grouped.items()}
        self.totals = sorted(grouped)
        self.masks = [grouped[t] for t in self.totals]

    def _within(self, cell: Cell) -> Iterator[tuple[int, int]]:
        for lo, hi in cell:
            yield from self.masks[bisect_left(self.totals, lo) : bisect_right(self.totals, hi)]

    def possible(self, cell: Cell) -> bool:
        return any(True for _ in self._within(cell))

    def safe(self, cell: Cell) -> bool:
        union, common = 0, self.everyone
        for some, every in self._within(cell):
            union, common = union | some, common & every
            if union == self.everyone and common == 0:
                return True
        return False


def _subsets_by_size(weights: Sequence[int], voters: range, up_to: int) -> list[list[tuple[int, int]]]:
    """For each size up to ``up_to``, every subset of ``voters`` of that size as (total, bitmask)."""
    return [
        [
            (sum(weights[i] for i in chosen), sum(1 << i for i in chosen))
            for chosen in combinations(voters, size)
        ]
        for size in range(min(up_to, len(voters)) + 1)
    ]


@dataclass(frozen=True)
class _Sorted:
    least: Sequence[int]  # least[m]: the total of the m smallest weights
    spread: int  # largest weight minus smallest

    @classmethod
    def of(cls, weights: Sequence[int]) -> _Sorted:
        ordered = sorted(weights)
        least = [0]
        for w in ordered:
            least.append(least[-1] + w)
        return cls(tuple(least), ordered[-1] - ordered[0] if ordered else 0)

    def certainly(self, m: int, lo: int, hi: int) -> bool:
        size = len(self.least) - 1
        if not 0 <= m <= size:
            return False
        smallest, largest = self.least[m], self.least[size] - self.least[size - m]
        lo, hi = max(lo, smallest), min(hi, largest)
        return lo <= hi and (lo == smallest or hi == largest or hi - lo + 1 >= self.spread)


def certainly_achievable(weights: Sequence[int], m: int, lo: int, hi: int) -> bool:
    """True only if some m of ``weights`` total between ``lo`` and ``hi`` inclusive.

    The totals of m items run from ``smallest`` (the m smallest) to ``largest`` (the m largest):
    swap the items of the one set for those of the other one at a time; each swap moves the total
    by at most the spread D (largest weight minus smallest). Clip [lo, hi] to [smallest, largest].
    If it still holds an end, that end is achieved. Otherwise, along the swaps, the last total
    below lo is at most lo - 1 and the next at most lo - 1 + D, which is within hi when the
    clipped range holds at least D whole numbers. Sound, not complete: False means "not shown".
    """
    return _Sorted.of(weights).certainly(m, lo, hi)


class _LessOne(Sequence[int]):
    """``least`` of the sorted weights with the one at index ``at`` (of weight ``v``) left out."""

    def __init__(self, least: Sequence[int], at: int, v: int) -> None:
        self.whole, self.at, self.v, self.size = least, at, v, len(least) - 1

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, m: int) -> int:  # type: ignore[override]
        if m < 0 or m >= self.size:
            raise IndexError(m)
        return self.whole[m] if m <= self.at else self.whole[m + 1] - self.v


def _spread_less_one(ordered: Sequence[int], at: int) -> int:
    rest = len(ordered) - 1
    if rest <= 0:
        return 0
    low = ordered[1] if at == 0 else ordered[0]
    high = ordered[-2] if at == len(ordered) - 1 else ordered[-1]
    return high - low


class _Bounded:
    """For large electorates, by ``certainly_achievable``: a voter of weight v is in some subset
    if m - 1 of the others total in the cell less v, and out of one if m of the others do. Voters
    of equal weight are alike, so the others are worked out once per distinct weight."""

    def __init__(self, weights: Sequence[int], count: int) -> None:
        self.count = count
        self.everyone = _Sorted.of(weights)
        ordered = sorted(weights)
        first = {w: i for i, w in reversed(list(enumerate(ordered)))}
        # The others, for each distinct weight, from the one sorted list (no sorting per weight:
        # a national electorate has thousands of distinct list sizes).
        self.others: dict[int, _Sorted] = {
            v: _Sorted(_LessOne(self.everyone.least, at, v), _spread_less_one(ordered, at))
            for v, at in first.items()
        }

    def possible(self, cell: Cell) -> bool:
        least = self.everyone.least
        smallest, largest = least[self.count], least[-1] - least[len(least) - 1 - self.count]
        return any(lo <= largest and hi >= smallest for lo, hi in cell)

    def safe(self, cell: Cell) -> bool:
        return all(
            any(rest.certainly(self.count - 1, lo - v, hi - v) for lo, hi in cell)
            and any(rest.certainly(self.count, lo, hi) for lo, hi in cell)
            for v, rest in self.others.items()
        )


# The other side --------------------------------------------------------------------------------


def attack(
    *, voter_weights: Sequence[int], counts: Mapping[str, int], published: list[PublishedShare]
) -> dict[int, str]:
    """What an observer can tell from the published figures alone: each voter (by index) whose
    choice is the same in every assignment that fits the counts and the bands (read inclusive).
    Exhaustive search, for electorates up to about 16."""
    weights = tuple(voter_weights)
    counted = sum(weights)
    bands = {p.option: (p.low, p.high) for p in published}
    seen: list[set[str]] = [set() for _ in weights]
    consistent = 0

    def fits(option: str, chosen: tuple[int, ...]) -> bool:
        low, high = bands.get(option, (Fraction(0), Fraction(1)))
        share = Fraction(sum(weights[i] for i in chosen), counted) if counted else Fraction(0)
        return low <= share <= high

    def assign(options: list[str], free: list[int], so_far: list[tuple[str, tuple[int, ...]]]) -> None:
        nonlocal consistent
        if not options:
            consistent += 1
            for option, chosen in so_far:
                for i in chosen:
                    seen[i].add(option)
            return
        option, *rest = options
        for chosen in combinations(free, counts[option]):
            if fits(option, chosen):
                assign(rest, [i for i in free if i not in chosen], [*so_far, (option, chosen)])

    assign(list(counts), list(range(len(weights))), [])
    if not consistent:
        raise ValueError("no way of voting fits the published figures")
    return {i: next(iter(options)) for i, options in enumerate(seen) if len(options) == 1}
