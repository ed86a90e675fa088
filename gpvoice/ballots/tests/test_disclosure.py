"""Weighted shares of secret ballots: published so that nobody's vote can be solved back (no database)."""

import random
from fractions import Fraction
from itertools import combinations
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpvoice.ballots.disclosure import (
    EXACT_SUBSETS,
    WITHHELD,
    PublishedShare,
    _cells,
    attack,
    certainly_achievable,
    publish_weighted_shares,
)

# Twelve practices of a PCN-sized electorate, with made-up but realistic list sizes.
PRACTICES = [2_841, 6_120, 11_904, 4_377, 8_653, 3_290, 15_012, 7_408, 5_126, 9_871, 3_968, 12_533]
CHOSE_YES = {0, 2, 3, 6, 9, 11}


def yes_no(weights, chose_yes):
    yes = sum(weights[i] for i in chose_yes)
    counts = {"yes": len(chose_yes), "no": len(weights) - len(chose_yes)}
    return counts, {"yes": yes, "no": sum(weights) - yes}


def publish(weights, chose_yes):
    counts, totals = yes_no(weights, chose_yes)
    return publish_weighted_shares(voter_weights=weights, counts=counts, totals=totals)


def told_by_counts_alone(weights, counts):
    return attack(voter_weights=weights, counts=counts, published=[])


def told_by_knowing_the_algorithm(weights, chose_yes):
    """A stronger observer than ``attack``: one who reruns the publication for every way the
    practices might have voted and keeps the ways that publish exactly what was published."""
    counts, _ = yes_no(weights, chose_yes)
    seen = publish(weights, chose_yes)
    same: dict[int, bool] = {}  # the publication depends on the voters only through the total
    ways = []
    for chosen in combinations(range(len(weights)), counts["yes"]):
        total = sum(weights[i] for i in chosen)
        if total not in same:
            same[total] = publish(weights, set(chosen)) == seen
        if same[total]:
            ways.append(set(chosen))
    return {
        i: "yes" if i in ways[0] else "no" for i in range(len(weights)) if len({i in w for w in ways}) == 1
    }


def test_exact_totals_let_an_observer_recover_every_practice():
    # The control: publishing the exact weighted shares (bands of zero width) gives every vote away.
    counts, totals = yes_no(PRACTICES, CHOSE_YES)
    counted = sum(PRACTICES)
    exact = [
        PublishedShare(o, Fraction(t, counted), Fraction(t, counted), "", False) for o, t in totals.items()
    ]
    recovered = attack(voter_weights=PRACTICES, counts=counts, published=exact)
    assert recovered == {i: "yes" if i in CHOSE_YES else "no" for i in range(len(PRACTICES))}


def test_published_bands_leave_every_practice_of_a_pcn_unknown():
    counts, _ = yes_no(PRACTICES, CHOSE_YES)
    published = publish(PRACTICES, CHOSE_YES)
    assert [p.text for p in published] == ["between 60% and 65%", "between 35% and 40%"]
    assert attack(voter_weights=PRACTICES, counts=counts, published=published) == {}
    assert told_by_knowing_the_algorithm(PRACTICES, CHOSE_YES) == {}


electorates = st.lists(st.tuples(st.integers(500, 40_000), st.booleans()), min_size=1, max_size=12)


@settings(max_examples=50, deadline=None)
@given(electorates)
def test_bands_reveal_nothing_the_counts_do_not(rows):
    weights = [w for w, _ in rows]
    chose_yes = {i for i, (_, yes) in enumerate(rows) if yes}
    counts, _ = yes_no(weights, chose_yes)
    published = publish(weights, chose_yes)
    assert attack(voter_weights=weights, counts=counts, published=published) == told_by_counts_alone(
        weights, counts
    )


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(500, 40_000), st.booleans()), min_size=2, max_size=10))
def test_knowing_how_bands_are_chosen_reveals_nothing_either(rows):
    weights = [w for w, _ in rows]
    chose_yes = {i for i, (_, yes) in enumerate(rows) if yes}
    counts, _ = yes_no(weights, chose_yes)
    assert told_by_knowing_the_algorithm(weights, chose_yes) == told_by_counts_alone(weights, counts)


def test_a_giant_practice_cannot_be_picked_out():
    # One practice of 40,000 patients among eleven of about 3,000: any useful band would say
    # which side it was on, since it alone outweighs any five of the others.
    weights = [40_000, 2_950, 3_010, 3_120, 2_880, 3_300, 2_760, 3_050, 3_180, 2_990, 3_400, 2_870]
    chose_yes = {0, 3, 5, 8, 10}
    counts, _ = yes_no(weights, chose_yes)
    published = publish(weights, chose_yes)
    for p in published:
        assert p.withheld and p.text == WITHHELD and (p.low, p.high) == (0, 1)
    assert 0 not in attack(voter_weights=weights, counts=counts, published=published)
    assert told_by_knowing_the_algorithm(weights, chose_yes) == {}


def naive_band(weights, chose_yes, steps=(5, 10, 25, 50)):
    """The first band around the secret share that, on its own, leaves every practice unknown."""
    k, counted = len(chose_yes), sum(weights)
    share = Fraction(sum(weights[i] for i in chose_yes), counted)
    for step in steps:
        low = Fraction(int(share * 100 // step * step), 100)
        high = min(low + Fraction(step, 100), Fraction(1))
        ways = [
            set(c)
            for c in combinations(range(len(weights)), k)
            if low <= Fraction(sum(weights[i] for i in c), counted) < high
        ]
        if all(len({i in w for w in ways}) == 2 for i in range(len(weights))):
            return low, high
    return None


def test_choosing_the_band_from_the_secret_total_would_give_votes_away():
    # Why bands are laid out before the total is looked at: here the 5%, 10% and 25% bands around
    # 79.5% are each unsafe, so "between 50% and 100%" is published, which alone is safe. But only
    # two ways of voting would have skipped the narrower bands, and they agree on three practices.
    weights, chose_yes = [1_481, 2_779, 4_136, 7_873, 11_123], {1, 3, 4}
    assert naive_band(weights, chose_yes) == (Fraction(1, 2), Fraction(1))
    same = [
        set(c)
        for c in combinations(range(5), 3)
        if naive_band(weights, set(c)) == (Fraction(1, 2), Fraction(1))
    ]
    assert same == [{1, 3, 4}, {2, 3, 4}]
    assert told_by_knowing_the_algorithm(weights, chose_yes) == {}


def test_unanimous_and_unchosen_options_are_published_exactly():
    weights = [2_841, 6_120, 11_904]
    published = publish_weighted_shares(
        voter_weights=weights,
        counts={"yes": 3, "no": 0, "abstain-like": 0},
        totals={"yes": sum(weights), "no": 0, "abstain-like": 0},
    )
    assert published == [
        PublishedShare("yes", Fraction(1), Fraction(1), "100%", withheld=False),
        PublishedShare("no", Fraction(0), Fraction(0), "0%", withheld=False),
        PublishedShare("abstain-like", Fraction(0), Fraction(0), "0%", withheld=False),
    ]
    counts = {"yes": 3, "no": 0, "abstain-like": 0}
    assert attack(voter_weights=weights, counts=counts, published=published) == told_by_counts_alone(
        weights, counts
    )


def test_the_second_of_two_options_is_the_mirror_of_the_first():
    yes, no = publish(PRACTICES, CHOSE_YES)
    assert (no.low, no.high) == (1 - yes.high, 1 - yes.low)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40_000), st.sampled_from("ABC")), min_size=1, max_size=12))
def test_every_published_band_holds_the_true_share(rows):
    weights = [w for w, _ in rows]
    counts = {o: sum(1 for _, c in rows if c == o) for o in "ABC"}
    totals = {o: sum(w for w, c in rows if c == o) for o in "ABC"}
    counted = sum(weights)
    for p in publish_weighted_shares(voter_weights=weights, counts=counts, totals=totals):
        share = Fraction(totals[p.option], counted) if counted else Fraction(0)
        assert p.low <= share <= p.high
        assert p.withheld == (p.text == WITHHELD)


def test_inconsistent_figures_are_refused():
    with pytest.raises(ValueError, match="exactly one option"):
        publish_weighted_shares(voter_weights=[1, 2], counts={"yes": 1, "no": 0}, totals={"yes": 1, "no": 0})
    with pytest.raises(ValueError, match="no 1 voters"):
        publish_weighted_shares(voter_weights=[1, 2], counts={"yes": 1, "no": 1}, totals={"yes": 3, "no": 0})


# Large electorates: the sufficient condition must never claim a total it cannot reach --------


def reachable(weights, up_to):
    """reach[c]: bit t set when some c of the weights total t (dynamic programming)."""
    reach = [1] + [0] * up_to
    for w in weights:
        for c in range(up_to, 0, -1):
            reach[c] |= reach[c - 1] << w
    return reach


def hits(bits, lo, hi):
    lo = max(lo, 0)
    return hi >= lo and (bits >> lo) & ((1 << (hi - lo + 1)) - 1) != 0


def clustered(rng, n):
    """List sizes in a few tight clusters, where achievable totals have real gaps."""
    centres = rng.sample([800, 3_000, 6_500, 12_000, 25_000, 40_000], rng.randint(1, 3))
    return [rng.choice(centres) + rng.randint(0, rng.choice([0, 40])) for _ in range(n)]


def electorate(rng, n):
    return clustered(rng, n) if rng.random() < 0.6 else [rng.randint(500, 40_000) for _ in range(n)]


def test_certainly_achievable_is_exact_at_the_edge():
    # Nine of 3,000 and one of 40,000: the totals of two are 6,000, 43,000 and nothing between.
    weights = [3_000] * 9 + [40_000]
    spread = 37_000
    assert not certainly_achievable(weights, 2, 6_001, 6_000 + spread - 1)
    assert certainly_achievable(weights, 2, 6_001, 6_000 + spread)
    assert certainly_achievable(weights, 2, 0, 6_000) and not certainly_achievable(weights, 2, 43_001, 10**6)


def test_certainly_achievable_is_never_wrong():
    rng = random.Random(2024)
    claimed = 0
    for _ in range(16):
        weights = electorate(rng, rng.randint(21, 30))
        reach = reachable(weights, len(weights))
        ordered = sorted(weights)
        spread = ordered[-1] - ordered[0]
        for _ in range(60):
            m = rng.randint(0, len(weights))
            lo = rng.randint(sum(ordered[:m]) - spread, sum(ordered[len(ordered) - m :]))
            hi = lo + rng.choice([0, 1, spread // 4, spread // 2, spread - 2, spread - 1, spread, 2 * spread])
            if certainly_achievable(weights, m, lo, hi):
                claimed += 1
                assert hits(reach[m], lo, hi), (weights, m, lo, hi)
    assert claimed > 300, "the check should prove most wide intervals"


def test_every_cell_of_a_large_electorate_leaves_every_choice_open():
    # The cells are what an observer who knows the algorithm learns; each must hold, for every
    # practice, a way of voting with it on the side and one with it off (or no way at all).
    rng = random.Random(7)
    published = 0
    giant = [40_000] + [rng.randint(2_800, 3_200) for _ in range(24)]
    for weights in [giant, *(electorate(rng, n) for n in (21, 22, 24, 26, 28, 30))]:
        n = len(weights)
        k = n // 2 + rng.randint(-2, 2)
        assert comb(n, k) > EXACT_SUBSETS, "too few subsets: this would test the exact check"
        cells = _cells(tuple(weights), k, (5, 10, 25, 50))
        published += sum(1 for _, band in cells if band is not None)
        everyone = reachable(weights, k)[k]
        for i, w in enumerate(weights):
            rest = reachable(weights[:i] + weights[i + 1 :], k)
            for cell, _ in cells:
                if not any(hits(everyone, lo, hi) for lo, hi in cell):
                    continue
                assert any(hits(rest[k - 1], lo - w, hi - w) for lo, hi in cell), (n, k, i, cell)
                assert any(hits(rest[k], lo, hi) for lo, hi in cell), (n, k, i, cell)
    assert published >= 12, "large electorates should mostly get bands, not withholding"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 50), min_size=1, max_size=12),
    st.integers(0, 12),
    st.integers(-20, 400),
    st.integers(0, 400),
)
def test_the_others_of_each_weight_match_sorting_them_again(weights, m, lo, width):
    from gpvoice.ballots.disclosure import _Bounded, _Sorted

    bounded = _Bounded(weights, min(m, len(weights)))
    for v, fast in bounded.others.items():
        rest = list(weights)
        rest.remove(v)
        slow = _Sorted.of(rest)
        assert list(fast.least) == list(slow.least) and fast.spread == slow.spread
        assert fast.certainly(m, lo, lo + width) == slow.certainly(m, lo, lo + width)
