"""Counting ballots: pure functions over exact fractions, so hypothesis can test them.

Every method takes the stored ballots and each ballot's weight (1 for one practice one vote,
the list size for patient weighting) and returns the figures the results page shows.
Ties are broken by a stated rule: the option listed first on the ballot wins, never chance.
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

    def share(self, option: Option) -> Fraction:
        counted = sum(self.totals.values())
        return Fraction(self.totals[option], counted) if counted else Fraction(0)


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
    wins, otherwise the option with fewest is eliminated (ties: the one listed last goes)."""
    remaining = list(options)
    result = RunoffResult()
    ranked = [b for b in ballots if b.ranking and not b.abstain]
    while remaining:
        counts = dict.fromkeys(remaining, 0)
        exhausted = 0
        for ballot in ranked:
            top = next((o for o in ballot.ranking if o in counts), None)
            if top is None:
                exhausted += ballot.weight
            else:
                counts[top] += ballot.weight
        continuing = sum(counts.values())
        round_ = Round(counts, exhausted)
        result.rounds.append(round_)
        leaders = [o for o in remaining if counts[o] * 2 > continuing]
        if leaders or len(remaining) == 1:
            result.winner = leaders[0] if leaders else remaining[0]
            return result
        if continuing == 0:
            return result
        fewest = min(counts.values())
        # Tie for elimination: keep the option listed first, so eliminate the last listed.
        loser = max((o for o in remaining if counts[o] == fewest), key=options.index)
        round_.eliminated = loser
        remaining.remove(loser)
    return result


# Schulze -------------------------------------------------------------------------------------


@dataclass
class SchulzeResult:
    pairwise: dict[Option, dict[Option, int]]  # d[a][b]: weight preferring a over b
    strongest: dict[Option, dict[Option, int]]
    ranking: list[Option]

    @property
    def winner(self) -> Option | None:
        return self.ranking[0] if self.ranking else None


def pairwise_matrix(ballots: Sequence[Ballot], options: Sequence[Option]) -> dict[Option, dict[Option, int]]:
    d = {a: dict.fromkeys(options, 0) for a in options}
    for ballot in ballots:
        if ballot.abstain or not ballot.ranking:
            continue
        position = {o: i for i, o in enumerate(ballot.ranking)}
        unranked = len(ballot.ranking)  # options left out rank equal last
        for a in options:
            for b in options:
                if a != b and position.get(a, unranked) < position.get(b, unranked):
                    d[a][b] += ballot.weight
    return d


def schulze(ballots: Sequence[Ballot], options: Sequence[Option]) -> SchulzeResult:
    d = pairwise_matrix(ballots, options)
    p = {a: {b: (d[a][b] if d[a][b] > d[b][a] else 0) for b in options if b != a} for a in options}
    for i in options:
        for j in options:
            if i == j:
                continue
            for k in options:
                if k not in (i, j):
                    p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    wins = {a: sum(1 for b in options if b != a and p[a][b] > p[b][a]) for a in options}
    ranking = sorted(options, key=lambda o: (-wins[o], options.index(o)))
    return SchulzeResult(d, p, ranking)


# Thresholds and quorum -------------------------------------------------------------------------


def passes(in_favour: int, against: int, threshold: Fraction) -> bool:
    """Abstentions count towards quorum, not towards the threshold: share of yes among yes+no.

    Simple majority is "more than one half"; two thirds and custom shares are "at least".
    """
    counted = in_favour + against
    if counted == 0:
        return False
    share = Fraction(in_favour, counted)
    return share > threshold if threshold == Fraction(1, 2) else share >= threshold


def quorum_met(turnout: int, electorate: int, quorum: Fraction) -> bool:
    return electorate > 0 and Fraction(turnout, electorate) >= quorum


def rounded_share(value: Fraction, *, step: int = 5) -> str:
    """Shares of a secret ballot's weighted totals are published only to the nearest ``step``
    per cent, so that exact patient totals cannot be solved back to practices (subset sums)."""
    percent = value * 100
    nearest = int((percent / step + Fraction(1, 2)).__floor__()) * step
    return f"about {nearest}%"
