"""The documented counting rules, each pinned at its exact boundary by a hand-worked example.

Every example is small enough to check on paper (the working is in the comments), and each sits
where flipping one comparison (``>`` for ``>=``, strict for non-strict) changes the answer.
No database: ``tally`` and ``results.compute`` are pure.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from gpvoice.ballots import tally
from gpvoice.ballots.results import Cast, Rules, compute, tie_order
from gpvoice.ballots.tally import Ballot

# Schulze ---------------------------------------------------------------------------------------


def ranked(*orders: str) -> list[Ballot]:
    return [Ballot(1, ranking=tuple(order)) for order in orders]


# Two ballots over A, B, C, D: "A" (A first, the rest equal last) and "CBD" (C > B > D > A).
#   d[A][x] = 1 = d[x][A] for every x: A ties every pairing, so no link joins A to anything.
#   d[C][B] = d[C][D] = d[B][D] = 1, and 0 back: links C->B, C->D, B->D, each of strength 1.
# Strongest paths: C->B 1, C->D 1, B->D 1, all others 0. C beats B and D; B beats D.
# Nobody beats A (every path to or from A is 0) and nobody beats C: the unbeaten set is {A, C}.
# C has more pairwise wins than A, but the rule is "the tie rule picks among the unbeaten".
UNBEATEN_TIE = ranked("A", "CBD")


def test_schulze_tie_between_unbeaten_options_goes_to_the_first_listed():
    result = tally.schulze(UNBEATEN_TIE, list("ABCD"))
    assert result.strongest["A"]["C"] == result.strongest["C"]["A"] == 0
    assert result.strongest["C"]["B"] == 1 and result.strongest["B"]["C"] == 0
    assert result.winner == "A", "C wins more pairings but A is unbeaten and listed first"
    assert result.ranking == ["A", "C", "B", "D"]


def test_schulze_tie_between_unbeaten_options_follows_the_listed_order_not_wins():
    result = tally.schulze(UNBEATEN_TIE, list("CABD"))
    assert result.winner == "C" and result.ranking == ["C", "A", "B", "D"]


def test_schulze_ties_only_among_the_unbeaten_b_never_wins_though_listed_first():
    # B is listed first but C beats it: the tie rule chooses among {A, C} only.
    assert tally.schulze(UNBEATEN_TIE, list("BACD")).ranking == ["A", "C", "B", "D"]


# Three ballots' worth of pairings over A, B, C from two ballots: "CA" (C > A > B) and "B"
# (B first, A and C equal last).
#   d[C][A] = 1, d[A][C] = 0: a link C->A of strength 1.
#   d[A][B] = d[B][A] = 1 and d[B][C] = d[C][B] = 1: pairwise ties, so *no* link (strictly more).
# Strongest paths: C->A 1, all others 0. C beats A; nobody beats B or C.
# Listed order A, B, C: the first unbeaten is B, then C, then A.
# Were ties links (>= instead of >), every pair would join at strength 1, nobody would beat
# anybody, and A (listed first) would win: this example tells the two apart.
STRICT_LINKS = ranked("CA", "B")


def test_schulze_links_need_strictly_more_and_paths_must_be_strictly_stronger():
    result = tally.schulze(STRICT_LINKS, list("ABC"))
    assert result.pairwise["A"]["B"] == result.pairwise["B"]["A"] == 1
    assert result.strongest["A"]["B"] == 0 and result.strongest["B"]["A"] == 0
    assert result.strongest["C"]["A"] == 1 and result.strongest["A"]["C"] == 0
    assert result.winner == "B"
    assert result.ranking == ["B", "C", "A"]


# The seeded draw: the order is random.Random(seed).shuffle of the options as listed.
#   seed "a" draws B, A, D, C: A comes before C, so A wins the tie of unbeaten {A, C};
#   seed "b" draws B, D, C, A: C comes before A, so C wins it (B, drawn first, is beaten).


def _rules(**overrides: Any) -> Rules:
    fields: dict[str, Any] = {
        "method": "yes_no",
        "weighting": "equal",
        "is_secret": False,
        "threshold": Fraction(1, 2),
        "threshold_label": "Simple majority (more than half)",
        "threshold_strict": True,
        "quorum_practices": None,
        "quorum_patients": None,
        "tie_break": "listed_first",
        "tie_seed": "",
        "patients_apply": True,
    }
    fields.update(overrides)
    return Rules(**fields)


def _casts(*rows: tuple[dict[str, Any], int]) -> list[Cast]:
    return [Cast(content, weight) for content, weight in rows]


ABCD = [(o, f"Option {o}") for o in "ABCD"]


@pytest.mark.parametrize(
    ("tie_break", "seed", "drawn", "winner"),
    [
        ("listed_first", "", ["A", "B", "C", "D"], "Option A"),
        ("seeded", "a", ["B", "A", "D", "C"], "Option A"),
        ("seeded", "b", ["B", "D", "C", "A"], "Option C"),
    ],
)
def test_schulze_result_applies_the_ballots_tie_rule_among_the_unbeaten(tie_break, seed, drawn, winner):
    rules = _rules(method="schulze", tie_break=tie_break, tie_seed=seed)
    assert tie_order([o for o, _ in ABCD], rules) == drawn
    casts = _casts(({"ranking": ["A"]}, 1000), ({"ranking": ["C", "B", "D"]}, 1000))
    result = compute(rules=rules, options=ABCD, electorate_count=4, electorate_patients=4000, casts=casts)
    assert result["outcome"]["winner"] == winner
    assert result["pairwise"]["ranking"][0] == winner


@pytest.mark.parametrize("method", ["schulze", "irv", "approval", "points", "single"])
def test_no_support_at_all_means_no_winner(method):
    rules = _rules(method=method, threshold_label="", threshold_strict=False)
    abstaining = _casts(({"abstain": True}, 1000), ({"abstain": True}, 2000))
    for casts in ([], abstaining):
        result = compute(
            rules=rules, options=ABCD[:2], electorate_count=2, electorate_patients=3000, casts=casts
        )
        assert result["outcome"]["winner"] is None, (method, casts)


def test_no_support_means_no_winner_even_for_a_lone_option():
    assert tally.schulze([], ["A"]).winner is None
    assert tally.instant_runoff([Ballot(1, abstain=True)], ["A"]).winner is None
    assert tally.schulze(ranked("A"), ["A"]).winner == "A"
    assert tally.instant_runoff(ranked("A"), ["A"]).winner == "A"


# Instant-runoff: a majority is strictly more than half of the continuing weight.
# Ballots: A, A, B, C>B. Round 1: A 2, B 1, C 1 of 4: A has exactly half, not a majority;
# B and C tie for fewest and C (listed last) goes. Round 2: A 2, B 2 of 4: still no majority;
# B (listed last of the tied) goes. Round 3: A 2 of 2 wins.


def test_instant_runoff_exactly_half_is_not_a_majority():
    result = tally.instant_runoff(ranked("A", "A", "B", "CB"), list("ABC"))
    assert [r.eliminated for r in result.rounds] == ["C", "B", None]
    assert result.rounds[1].counts == {"A": 2, "B": 2}
    assert result.winner == "A"


# Thresholds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no", "threshold", "strictly", "carried"),
    [
        (1, 1, Fraction(1, 2), True, False),  # simple majority: exactly half is not more than half
        (2, 1, Fraction(1, 2), True, True),
        (1, 1, Fraction(1, 2), False, True),  # a custom share of 1 in 2 is "at least": half passes
        (2, 1, Fraction(2, 3), False, True),  # two thirds is "at least": exactly 2 of 3 passes
        (199, 101, Fraction(2, 3), False, False),  # 66.3% < two thirds
        (3, 2, Fraction(3, 5), False, True),  # exactly the custom share 3 in 5
        (5, 4, Fraction(3, 5), False, False),  # 5/9 = 55.6%, just under 3 in 5
        (0, 0, Fraction(1, 2), False, False),  # nothing counted, nothing carried
    ],
)
def test_threshold_boundaries(yes, no, threshold, strictly, carried):
    assert tally.passes(yes, no, threshold, strictly=strictly) is carried


def test_quorum_is_at_least_its_share():
    assert tally.quorum_met(3, 4, Fraction(3, 4)) and not tally.quorum_met(2, 4, Fraction(3, 4))
    assert tally.quorum_met(5000, 10000, Fraction(1, 2)) and not tally.quorum_met(4999, 10000, Fraction(1, 2))


# Five practices of 1000, 1000, 3000, 2000 and 3000 patients (10,000 in all) vote yes/no.
YES, NO = {"choice": "Y"}, {"choice": "N"}
YES_NO = [("Y", "Yes"), ("N", "No")]


def _yes_no(rules: Rules, votes: list[tuple[dict[str, Any], int]]) -> dict[str, Any]:
    return compute(
        rules=rules, options=YES_NO, electorate_count=5, electorate_patients=10000, casts=_casts(*votes)
    )["outcome"]


def test_double_majority_exactly_half_of_patients_is_not_a_simple_majority():
    # Practices: 3 yes of 5 (60%), a majority. Patients: 1000 + 1000 + 3000 = 5000 yes of
    # 10,000, exactly half: not "more than half", but "at least" a custom share of 1 in 2.
    votes = [(YES, 1000), (YES, 1000), (YES, 3000), (NO, 2000), (NO, 3000)]
    simple = _yes_no(_rules(weighting="double"), votes)
    assert simple["passes"] is False
    assert simple["text"] == "Not carried. Practices: yes majority; patients: no majority."
    custom_half = _yes_no(_rules(weighting="double", threshold_strict=False), votes)
    assert custom_half["passes"] is True
    assert custom_half["text"] == "Carried. Practices: yes majority; patients: yes majority."


def test_double_majority_exactly_half_of_practices_is_not_a_simple_majority():
    # Practices: 2 yes of 4 (exactly half). Patients: 3000 + 3000 = 6000 yes of 8000 (75%).
    votes = [(YES, 3000), (YES, 3000), (NO, 1000), (NO, 1000)]
    outcome = _yes_no(_rules(weighting="double"), votes)
    assert outcome["text"] == "Not carried. Practices: no majority; patients: yes majority."


def test_double_majority_on_yes_no_never_says_not_carried_beside_two_yes_limbs():
    # A custom share of 1 in 3. Practices: 2 yes of 5 (40% >= 33.3%), though "No" leads.
    # Patients: yes 6000 of 10,000 (60%). Both limbs pass, so the proposal is carried.
    votes = [(YES, 3000), (YES, 3000), (NO, 1000), (NO, 2000), (NO, 1000)]
    rules = _rules(weighting="double", threshold=Fraction(1, 3), threshold_strict=False)
    outcome = _yes_no(rules, votes)
    assert outcome["passes"] is True and outcome["winner"] == "Yes"
    assert outcome["text"] == "Carried. Practices: yes majority; patients: yes majority."


def test_double_majority_yes_no_does_not_depend_on_a_seeded_draw():
    # Exactly half of practices and of patients say yes; a custom share of 1 in 2 passes both,
    # whichever way a seed would order Yes and No for a tie ("b" draws No first).
    votes = [(YES, 1000), (YES, 4000), (NO, 2000), (NO, 3000)]
    for seed in ("a", "b"):
        rules = _rules(weighting="double", threshold_strict=False, tie_break="seeded", tie_seed=seed)
        assert _yes_no(rules, votes)["passes"] is True


def test_double_majority_on_a_single_choice_needs_the_same_leading_option():
    # A custom share of 1 in 3, options A, B, C. Practices: A 2, B 1, C 1 (A leads with 50%).
    # Patients: A 2000, B 5000, C 3000 (B leads with 50%). Each limb passes the threshold, but
    # they lead with different options, so nothing is chosen.
    options = [("A", "A"), ("B", "B"), ("C", "C")]
    casts = _casts(
        ({"choice": "A"}, 1000), ({"choice": "A"}, 1000), ({"choice": "B"}, 5000), ({"choice": "C"}, 3000)
    )
    rules = _rules(method="single", weighting="double", threshold=Fraction(1, 3), threshold_strict=False)
    outcome = compute(
        rules=rules, options=options, electorate_count=4, electorate_patients=10000, casts=casts
    )["outcome"]
    assert outcome["passes"] is False and outcome["winner"] is None
    same = _casts(
        ({"choice": "B"}, 1000), ({"choice": "B"}, 1000), ({"choice": "B"}, 5000), ({"choice": "C"}, 3000)
    )
    outcome = compute(
        rules=rules, options=options, electorate_count=4, electorate_patients=10000, casts=same
    )["outcome"]
    assert outcome["passes"] is True and outcome["winner"] == "B"


def test_single_choice_custom_share_of_exactly_one_half_is_reached():
    # A custom share of 1 in 2 ("at least"): A 2 of 4 votes is exactly half, and A leads by the
    # listed order; under a simple majority the same count is not enough.
    options = [("A", "A"), ("B", "B"), ("C", "C")]
    casts = _casts(({"choice": "A"}, 1), ({"choice": "A"}, 1), ({"choice": "B"}, 1), ({"choice": "C"}, 1))

    def outcome(strict: bool) -> dict[str, Any]:
        rules = _rules(method="single", threshold_strict=strict, patients_apply=False)
        return compute(rules=rules, options=options, electorate_count=4, electorate_patients=0, casts=casts)[
            "outcome"
        ]

    assert outcome(False)["winner"] == "A"
    assert outcome(True)["winner"] is None
