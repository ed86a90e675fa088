"""Counting ballots: pure functions over exact fractions, so hypothesis can test them.

Every method takes the stored ballots and each ballot's weight (1 for one practice one vote,
the list size for patient weighting) and returns the figures the results page shows.
Ties are broken by a stated rule, never chance: callers pass the options in the ballot's tie
order (as listed, or as drawn from the seed recorded on the ballot), and the first in that order
wins a tie. With no support at all (no ballot counts for any option) no method has a winner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

Option = str


@dataclass(frozen=True)
class Ballot:
    weight: int
    choice: Option | None = None  # yes/no/abstain and single choice
    approved: frozenset[Option] = frozenset()  # approval
    ranking: tuple[Option, ...] = ()  # ranked, most preferred first
    points: tuple[tuple[Option, int], ...] = ()  # points allocation
    abstain: bool = False


def _tie_break(candidates: Sequence[Option], order: Sequence[Option]) -> Option:
    """The stated rule: among tied options, the one listed first on the ballot."""
    return min(candidates, key=order.index)


@dataclass
class Totals:
    totals: dict[Option, int]
    abstentions: int
    winner: Option | None


def plurality(ballots: Sequence[Ballot], options: Sequence[Option]) -> Totals:
    """Yes/no/abstain and single choice: weights summed per option; abstentions apart."""
    totals = dict.fromkeys(options, 0)
    abstentions = 0
    for ballot in ballots:
        if ballot.abstain or ballot.choice is None:
            abstentions += ballot.weight
        else:
            totals[ballot.choice] += ballot.weight
    return Totals(totals, abstentions, _leader(totals, options))


def approval(ballots: Sequence[Ballot], options: Sequence[Option]) -> Totals:
    totals = dict.fromkeys(options, 0)
    abstentions = 0
    for ballot in ballots:
        if ballot.abstain or not ballot.approved:
            abstentions += ballot.weight
        for option in ballot.approved:
            totals[option] += ballot.weight
    return Totals(totals, abstentions, _leader(totals, options))


def points(ballots: Sequence[Ballot], options: Sequence[Option]) -> Totals:
    totals = dict.fromkeys(options, 0)
    abstentions = 0
    for ballot in ballots:
        if ballot.abstain or not ballot.points:
            abstentions += ballot.weight
        for option, given in ballot.points:
            totals[option] += given * ballot.weight
    return Totals(totals, abstentions, _leader(totals, options))


def _leader(totals: dict[Option, int], options: Sequence[Option]) -> Option | None:
    if not any(totals.values()):
        return None
    best = max(totals.values())
    return _tie_break([o for o in options if totals[o] == best], options)


# Instant-runoff --------------------------------------------------------------------------------


@dataclass
class Round:
    counts: dict[Option, int]
    exhausted: int
    eliminated: Option | None = None


@dataclass
class RunoffResult:
    rounds: list[Round] = field(default_factory=list)
    winner: Option | None = None


def instant_runoff(ballots: Sequence[Ballot], options: Sequence[Option]) -> RunoffResult:
    """Each round counts first preferences among those left; a majority of continuing weight
    wins, otherwise the option with fewest is eliminated (ties: the one listed last goes).

    Identical rankings are counted once with their weights summed, and each ranking keeps a
    pointer to its current top choice: only the rankings whose top choice is eliminated move
    on, so a whole count reads each ranking once rather than once a round.
    """
    remaining = list(options)
    result = RunoffResult()
    index = _first_index(options)
    first_listed = index.__getitem__
    continuing = [True] * len(index)
    tallies = [0] * len(index)  # weight whose top continuing choice is each option
    piles: list[list[int]] = [[] for _ in index]  # the rankings (by number) behind each option
    preferences: list[list[int]] = []  # each distinct ranking as option numbers, unknowns dropped
    weights: list[int] = []
    pointers: list[int] = []  # where in its ranking each one's top continuing choice is
    exhausted = 0
    for ranking, weight in _ranked_weights(ballots).items():
        prefs = [index[o] for o in ranking if o in index]
        if prefs:
            piles[prefs[0]].append(len(preferences))
            tallies[prefs[0]] += weight
        else:
            exhausted += weight
        preferences.append(prefs)
        weights.append(weight)
        pointers.append(0)
    while remaining:
        counts = {o: tallies[index[o]] for o in remaining}
        continuing_weight = sum(counts.values())
        round_ = Round(counts, exhausted)
        result.rounds.append(round_)
        if continuing_weight == 0:  # no support at all: no winner, even for a lone option
            return result
        leaders = [o for o in remaining if counts[o] * 2 > continuing_weight]
        if leaders or len(remaining) == 1:
            result.winner = leaders[0] if leaders else remaining[0]
            return result
        fewest = min(counts.values())
        # Tie for elimination: keep the option listed first, so eliminate the last listed.
        loser = max((o for o in remaining if counts[o] == fewest), key=first_listed)
        round_.eliminated = loser
        remaining.remove(loser)
        if loser in remaining:  # listed twice: it continues until its last listing goes
            continue
        out = index[loser]
        continuing[out] = False
        for number in piles[out]:
            prefs, at = preferences[number], pointers[number] + 1
            while at < len(prefs) and not continuing[prefs[at]]:
                at += 1
            pointers[number] = at
            if at < len(prefs):
                piles[prefs[at]].append(number)
                tallies[prefs[at]] += weights[number]
            else:
                exhausted += weights[number]
        piles[out] = []
    return result


# Schulze -------------------------------------------------------------------------------------


@dataclass
class SchulzeResult:
    pairwise: dict[Option, dict[Option, int]]  # d[a][b]: weight preferring a over b
    strongest: dict[Option, dict[Option, int]]
    ranking: list[Option]  # the order: at each place, the first unbeaten option in tie order
    supported: bool = True  # False when no ballot ranked any option: then there is no winner

    @property
    def winner(self) -> Option | None:
        return self.ranking[0] if self.ranking and self.supported else None


def pairwise_matrix(ballots: Sequence[Ballot], options: Sequence[Option]) -> dict[Option, dict[Option, int]]:
    """d[a][b]: the weight of ballots ranking a above b; options left unranked rank equal last."""
    listed, rows = _pairwise_rows(ballots, options)
    return {a: dict(zip(listed, row, strict=True)) for a, row in zip(listed, rows, strict=True)}


def _pairwise_rows(
    ballots: Sequence[Ballot], options: Sequence[Option]
) -> tuple[list[Option], list[list[int]]]:
    """The pairwise matrix as rows of lists, over the options in order (each once).

    A ranking puts each option it ranks above every option not ranked at or before it, so
    d[a][b] = (weight ranking a) - (weight ranking b at or before a): one pass over each
    distinct ranking's positions, without visiting the options it leaves out.
    """
    index = _first_index(options)
    listed = list(index)
    size = len(listed)
    ranking_a = [0] * size
    at_or_before = [[0] * size for _ in listed]
    for ranking, weight in _ranked_weights(ballots).items():
        seen: list[int] = []
        for a in _strict_order(ranking, index):
            seen.append(a)
            ranking_a[a] += weight
            row = at_or_before[a]
            for b in seen:
                row[b] += weight
    rows = [[ranking_a[a] - x for x in at_or_before[a]] for a in range(size)]
    if len(listed) != len(options):  # an option listed twice counts once per listing, as pairs
        listings = [0] * size
        for option in options:
            listings[index[option]] += 1
        rows = [[x * listings[a] * listings[b] for b, x in enumerate(row)] for a, row in enumerate(rows)]
    return listed, rows


def _strict_order(ranking: tuple[Option, ...], index: dict[Option, int]) -> list[int]:
    """The ranking as option numbers, best first; an option ranked twice stands where it was
    ranked last, and options not on the ballot are left out."""
    position = {o: i for i, o in enumerate(ranking)}
    if len(position) == len(ranking):
        return [index[o] for o in ranking if o in index]
    return [index[o] for o in sorted(position, key=position.__getitem__) if o in index]


def schulze(ballots: Sequence[Ballot], options: Sequence[Option]) -> SchulzeResult:
    listed, d = _pairwise_rows(ballots, options)
    size = len(listed)
    p = [[d[a][b] if d[a][b] > d[b][a] else 0 for b in range(size)] for a in range(size)]
    # Strongest paths (Floyd-Warshall, widest path), a row at a time. Within round i, row i
    # and column i do not change, so rebuilding row j from the old rows is the same as
    # updating it in place. The diagonal is never a result and never raises another entry:
    # where it is read, min() caps it by the entry being updated.
    for i in range(size):
        via = p[i]
        for j in range(size):
            if j != i:
                through = p[j][i]
                p[j] = [max(direct, min(through, onward)) for direct, onward in zip(p[j], via, strict=True)]
    ranking = [listed[a] for a in _unbeaten_order(p)]
    pairwise = {a: dict(zip(listed, row, strict=True)) for a, row in zip(listed, d, strict=True)}
    strongest = {a: {b: p[ia][ib] for ib, b in enumerate(listed) if ib != ia} for ia, a in enumerate(listed)}
    return SchulzeResult(pairwise, strongest, ranking, supported=_any_ranked(ballots, listed))


def _unbeaten_order(p: list[list[int]]) -> list[int]:
    """Schulze's order, as its definition states it: a beats b when the strongest path from a to
    b is *stronger* than the one back (a tie beats neither way). At each place goes the first,
    in tie order (the order of ``p``'s rows), of the options no remaining option beats; so when
    several are unbeaten, the ballot's tie rule picks among them and only among them."""
    remaining = list(range(len(p)))
    order = []
    while remaining:
        unbeaten = next(a for a in remaining if not any(p[b][a] > p[a][b] for b in remaining if b != a))
        order.append(unbeaten)
        remaining.remove(unbeaten)
    return order


def _any_ranked(ballots: Sequence[Ballot], listed: list[Option]) -> bool:
    """Whether any ballot of positive weight ranks an option on the ballot at all."""
    known = set(listed)
    return any(b.weight > 0 and any(o in known for o in b.ranking) for b in ballots if not b.abstain)


def _first_index(options: Sequence[Option]) -> dict[Option, int]:
    """Each option's number: its place among the options, counting each once."""
    return {o: i for i, o in enumerate(dict.fromkeys(options))}


def _ranked_weights(ballots: Sequence[Ballot]) -> dict[tuple[Option, ...], int]:
    """The ranked ballots (not abstaining) with identical rankings merged, their weights summed.

    Every ranked count is a sum of weights, so counting a merged ranking once is exact."""
    merged: dict[tuple[Option, ...], int] = {}
    for ballot in ballots:
        if ballot.ranking and not ballot.abstain:
            ranking = tuple(ballot.ranking)
            merged[ranking] = merged.get(ranking, 0) + ballot.weight
    return merged


# Thresholds and quorum -------------------------------------------------------------------------


def passes(in_favour: int, against: int, threshold: Fraction, *, strictly: bool) -> bool:
    """Abstentions count towards quorum, not towards the threshold: share of yes among yes+no.

    ``strictly`` for a simple majority ("more than one half"); otherwise the share must be *at
    least* the threshold (two thirds, or a custom share, even a custom share of exactly one half).
    """
    counted = in_favour + against
    if counted == 0:
        return False
    share = Fraction(in_favour, counted)
    return share > threshold if strictly else share >= threshold


def quorum_met(turnout: int, electorate: int, quorum: Fraction) -> bool:
    """A quorum is met when *at least* its share of the electorate voted (abstaining counts)."""
    return electorate > 0 and Fraction(turnout, electorate) >= quorum
