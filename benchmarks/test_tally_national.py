"""Times the tally engine on a national-size electorate: `make bench` (not part of `make test`).

The electorate is synthetic but deterministic (random.Random(SEED)): 6,300 practices, each
weighted by a list size between 1,000 and 40,000 patients, voting on 50 options. Ranked
ballots are either full random rankings of all 50 or partial rankings of about 10 (5 to 15);
points ballots spread 100 points over the 50 options; approval ballots approve 1 to 15.
No database is needed. The ceiling is generous: this is a measurement, not a timing test.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence

import pytest

from gpvoice.ballots import tally
from gpvoice.ballots.tally import Ballot

SEED = 20260501
PRACTICES = 6300
OPTIONS = [f"Option {n:02d}" for n in range(1, 51)]
POINTS = 100
MOST_APPROVED = 15
CEILING_SECONDS = 30.0


def _electorate() -> dict[str, list[Ballot]]:
    rng = random.Random(SEED)
    weights = [rng.randint(1000, 40000) for _ in range(PRACTICES)]
    full = [Ballot(w, ranking=tuple(rng.sample(OPTIONS, len(OPTIONS)))) for w in weights]
    partial = [Ballot(w, ranking=tuple(rng.sample(OPTIONS, rng.randint(5, 15)))) for w in weights]
    points = [
        Ballot(w, points=tuple(sorted(Counter(rng.choices(OPTIONS, k=POINTS)).items()))) for w in weights
    ]
    approval = [
        Ballot(w, approved=frozenset(rng.sample(OPTIONS, rng.randint(1, MOST_APPROVED)))) for w in weights
    ]
    return {"full": full, "partial": partial, "points": points, "approval": approval}


@pytest.fixture(scope="module")
def electorate() -> dict[str, list[Ballot]]:
    return _electorate()


def _runoff_conserves_weight(result: tally.RunoffResult, ballots: Sequence[Ballot]) -> bool:
    total = sum(b.weight for b in ballots)
    return all(sum(r.counts.values()) + r.exhausted == total for r in result.rounds)


CASES: dict[str, tuple[str, Callable[..., object], str]] = {
    "schulze": ("full", tally.schulze, "full rankings"),
    "schulze-partial": ("partial", tally.schulze, "partial rankings of ~10"),
    "instant_runoff": ("full", tally.instant_runoff, "full rankings"),
    "instant_runoff-partial": ("partial", tally.instant_runoff, "partial rankings of ~10"),
    "points": ("points", tally.points, f"{POINTS} points each"),
    "approval": ("approval", tally.approval, f"1-{MOST_APPROVED} approved each"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tally_at_national_size(electorate, case, capsys):
    kind, method, note = CASES[case]
    ballots = electorate[kind]
    start = time.perf_counter()
    result = method(ballots, OPTIONS)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(
            f"\ntally {method.__name__} {len(ballots):,} ballots x {len(OPTIONS)} options "
            f"({note}): {elapsed:.2f} s"
        )
    if isinstance(result, tally.SchulzeResult):
        assert result.winner in OPTIONS and sorted(result.ranking) == sorted(OPTIONS)
    elif isinstance(result, tally.RunoffResult):
        assert result.winner in OPTIONS and _runoff_conserves_weight(result, ballots)
    else:
        assert isinstance(result, tally.Totals) and result.winner in OPTIONS
        total_weight = sum(b.weight for b in ballots)
        given = sum(result.totals.values())
        assert given == POINTS * total_weight if kind == "points" else given <= MOST_APPROVED * total_weight
    assert elapsed < CEILING_SECONDS, f"{case} took {elapsed:.1f} s"
