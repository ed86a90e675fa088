"""The tally engine against textbook cases and properties (no database)."""

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
    assert tally.passes(2, 1, two_thirds) and not tally.passes(199, 101, two_thirds)
    assert not tally.passes(1, 1, Fraction(1, 2)), "a tie is not a simple majority"
    assert tally.passes(51, 49, Fraction(1, 2))
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


def test_rounded_shares_hide_exact_totals():
    assert tally.rounded_share(Fraction(6123, 10000)) == "about 60%"
    assert tally.rounded_share(Fraction(1, 40)) == "about 5%"
