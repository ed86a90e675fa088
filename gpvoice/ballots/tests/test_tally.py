"""The tally engine against textbook cases and properties (no database)."""

import dataclasses
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from gpvoice.ballots import tally
from gpvoice.ballots.tally import Ballot

OPTIONS = ["A", "B", "C", "D", "E"]


def ranked(order: str, count: int, weight: int = 1) -> list[Ballot]:
    return [Ballot(weight=weight, ranking=tuple(order))] * count


def test_schulze_wikipedia_example():
    # The 45-voter example from Schulze's method: winner E, order E > A > C > B > D.
    ballots = (
        ranked("ACBED", 5)
        + ranked("ADECB", 5)
        + ranked("BEDAC", 8)
        + ranked("CABED", 3)
        + ranked("CAEBD", 7)
        + ranked("CBADE", 2)
        + ranked("DCEBA", 7)
        + ranked("EBADC", 8)
    )
    result = tally.schulze(ballots, OPTIONS)
    assert result.ranking == ["E", "A", "C", "B", "D"]
    assert result.pairwise["A"]["B"] == 20 and result.pairwise["B"]["A"] == 25
    assert result.strongest["E"]["D"] == 31


TENNESSEE = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]


def tennessee() -> list[Ballot]:
    m, n, c, k = TENNESSEE
    return (
        [Ballot(42, ranking=(m, n, c, k))]
        + [Ballot(26, ranking=(n, c, k, m))]
        + [Ballot(15, ranking=(c, k, n, m))]
        + [Ballot(17, ranking=(k, c, n, m))]
    )


def test_instant_runoff_tennessee_capital():
    result = tally.instant_runoff(tennessee(), TENNESSEE)
    assert result.winner == "Knoxville"
    assert [r.eliminated for r in result.rounds] == ["Chattanooga", "Nashville", None]
    assert result.rounds[0].counts == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}


def test_schulze_tennessee_capital_is_the_condorcet_winner():
    assert tally.schulze(tennessee(), TENNESSEE).winner == "Nashville"


def test_thresholds_are_exact():
    two_thirds = Fraction(2, 3)
    assert tally.passes(2, 1, two_thirds, strictly=False)
    assert not tally.passes(199, 101, two_thirds, strictly=False)
    assert not tally.passes(1, 1, Fraction(1, 2), strictly=True), "a tie is not a simple majority"
    assert tally.passes(51, 49, Fraction(1, 2), strictly=True)
    assert tally.quorum_met(1, 3, Fraction(1, 3)) and not tally.quorum_met(0, 0, Fraction(0))


def test_ties_broken_by_ballot_order():
    ballots = [Ballot(1, choice="B"), Ballot(1, choice="A")]
    assert tally.plurality(ballots, ["A", "B"]).winner == "A"
    assert tally.plurality(ballots, ["B", "A"]).winner == "B"


rankings = st.lists(
    st.tuples(
        st.integers(1, 20_000),
        st.permutations(OPTIONS).flatmap(lambda p: st.integers(1, 5).map(lambda n: tuple(p[:n]))),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(rankings, st.randoms())
def test_permuting_ballots_never_changes_a_result(rows, random):
    ballots = [Ballot(w, ranking=r) for w, r in rows]
    shuffled = ballots[:]
    random.shuffle(shuffled)
    assert tally.schulze(ballots, OPTIONS).ranking == tally.schulze(shuffled, OPTIONS).ranking
    a, b = tally.instant_runoff(ballots, OPTIONS), tally.instant_runoff(shuffled, OPTIONS)
    assert a.winner == b.winner and [r.counts for r in a.rounds] == [r.counts for r in b.rounds]


@settings(max_examples=150, deadline=None)
@given(rankings)
def test_a_condorcet_winner_wins_under_schulze(rows):
    ballots = [Ballot(w, ranking=r) for w, r in rows]
    d = tally.pairwise_matrix(ballots, OPTIONS)
    condorcet = [a for a in OPTIONS if all(d[a][b] > d[b][a] for b in OPTIONS if b != a)]
    if condorcet:
        assert tally.schulze(ballots, OPTIONS).winner == condorcet[0]


@settings(max_examples=150, deadline=None)
@given(rankings)
def test_runoff_rounds_conserve_weight(rows):
    ballots = [Ballot(w, ranking=r) for w, r in rows]
    total = sum(b.weight for b in ballots)
    for round_ in tally.instant_runoff(ballots, OPTIONS).rounds:
        assert sum(round_.counts.values()) + round_.exhausted == total


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 20_000), st.sampled_from(OPTIONS + [None])), min_size=1, max_size=60)
)
def test_weighted_and_unweighted_plurality_are_consistent(rows):
    weighted = tally.plurality([Ballot(w, choice=c, abstain=c is None) for w, c in rows], OPTIONS)
    unweighted = tally.plurality([Ballot(1, choice=c, abstain=c is None) for _, c in rows], OPTIONS)
    assert sum(weighted.totals.values()) + weighted.abstentions == sum(w for w, _ in rows)
    assert sum(unweighted.totals.values()) + unweighted.abstentions == len(rows)
    for option in OPTIONS:
        assert (weighted.totals[option] == 0) == (unweighted.totals[option] == 0)


def naive_pairwise_matrix(ballots, options):
    """The definition, pair by pair for every ballot: d[a][b] is the weight ranking a above b."""
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


def naive_instant_runoff(ballots, options):
    """The definition, every ballot rescanned for its top continuing choice every round."""
    remaining = list(options)
    result = tally.RunoffResult()
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
        round_ = tally.Round(counts, exhausted)
        result.rounds.append(round_)
        if continuing == 0:
            return result
        leaders = [o for o in remaining if counts[o] * 2 > continuing]
        if leaders or len(remaining) == 1:
            result.winner = leaders[0] if leaders else remaining[0]
            return result
        fewest = min(counts.values())
        loser = max((o for o in remaining if counts[o] == fewest), key=options.index)
        round_.eliminated = loser
        remaining.remove(loser)
    return result


# Rankings as they might arrive: partial, an option twice, one not on the ballot ("Z"), zero
# weights, abstentions; and option lists in any order, possibly with one listed twice.
messy_ballots = st.lists(
    st.builds(
        Ballot,
        weight=st.integers(0, 20_000),
        ranking=st.lists(st.sampled_from(OPTIONS + ["Z"]), max_size=7).map(tuple),
        abstain=st.sampled_from([False, False, False, True]),
    ),
    max_size=30,
)
option_lists = st.one_of(
    st.permutations(OPTIONS).flatmap(lambda p: st.integers(0, len(p)).map(lambda n: list(p[:n]))),
    st.lists(st.sampled_from(OPTIONS), max_size=7),
)


@settings(max_examples=100, deadline=None)
@given(messy_ballots, option_lists)
def test_pairwise_matrix_matches_the_definition(ballots, options):
    fast, naive = tally.pairwise_matrix(ballots, options), naive_pairwise_matrix(ballots, options)
    assert fast == naive
    assert list(fast) == list(naive) and all(list(fast[a]) == list(naive[a]) for a in naive)


@settings(max_examples=75, deadline=None)
@given(rankings)
def test_pairwise_matrix_matches_the_definition_for_clean_rankings(rows):
    ballots = [Ballot(w, ranking=r) for w, r in rows]
    assert tally.pairwise_matrix(ballots, OPTIONS) == naive_pairwise_matrix(ballots, OPTIONS)


@settings(max_examples=100, deadline=None)
@given(messy_ballots, option_lists)
def test_instant_runoff_matches_the_round_by_round_definition(ballots, options):
    fast, naive = tally.instant_runoff(ballots, options), naive_instant_runoff(ballots, options)
    assert fast == naive
    assert [list(r.counts) for r in fast.rounds] == [list(r.counts) for r in naive.rounds]


mixed_ballots = st.lists(
    st.builds(
        Ballot,
        weight=st.integers(1, 20_000),
        choice=st.sampled_from(OPTIONS + [None]),
        approved=st.frozensets(st.sampled_from(OPTIONS)),
        ranking=st.lists(st.sampled_from(OPTIONS), unique=True, max_size=5).map(tuple),
        points=st.lists(st.tuples(st.sampled_from(OPTIONS), st.integers(0, 10)), max_size=5).map(tuple),
        abstain=st.sampled_from([False, False, False, True]),
    ),
    min_size=1,
    max_size=30,
)
METHODS = [tally.plurality, tally.approval, tally.points, tally.instant_runoff, tally.schulze]


@settings(max_examples=60, deadline=None)
@given(mixed_ballots, st.randoms())
def test_no_method_depends_on_the_order_of_ballots(ballots, random):
    shuffled = ballots[:]
    random.shuffle(shuffled)
    for method in METHODS:
        assert method(shuffled, OPTIONS) == method(ballots, OPTIONS), method.__name__


@settings(max_examples=60, deadline=None)
@given(mixed_ballots)
def test_two_ballots_of_weight_w_count_as_one_of_weight_2w(ballots):
    twice = [ballot for ballot in ballots for _ in range(2)]
    doubled = [dataclasses.replace(ballot, weight=2 * ballot.weight) for ballot in ballots]
    for method in METHODS:
        assert method(twice, OPTIONS) == method(doubled, OPTIONS), method.__name__


ALLOWANCE = 100


@st.composite
def points_within_allowance(draw):
    """A points ballot giving at most ALLOWANCE points in all, none negative."""
    given, left = [], draw(st.integers(0, ALLOWANCE))
    for option in draw(st.lists(st.sampled_from(OPTIONS), unique=True, max_size=len(OPTIONS))):
        points = draw(st.integers(0, left))
        given.append((option, points))
        left -= points
    weight = draw(st.integers(1, 40_000))
    return Ballot(weight, points=tuple(given), abstain=draw(st.sampled_from([False, False, True])))


@settings(max_examples=60, deadline=None)
@given(st.lists(points_within_allowance(), min_size=1, max_size=30))
def test_points_never_exceed_the_allowance_times_the_weight(ballots):
    result = tally.points(ballots, OPTIONS)
    total_weight = sum(ballot.weight for ballot in ballots)
    assert all(0 <= given <= ALLOWANCE * total_weight for given in result.totals.values())
    assert sum(result.totals.values()) <= ALLOWANCE * total_weight
