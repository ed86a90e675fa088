"""A real secret ballot, attacked from what it publishes.

Twelve practices with realistic, distinct list sizes vote in a secret yes/no ballot weighted by
patients. An attacker who knows every list size, who voted, the exact counts and everything in the
published result tries to work out each practice's vote. With the exact patient totals (the
control) the attack recovers every practice; with what GP Voice publishes it recovers none.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from gpvoice.ballots import services
from gpvoice.ballots.disclosure import PublishedShare, attack
from gpvoice.ballots.models import Participation
from gpvoice.directory.models import Organisation
from gpvoice.directory.tests.factories import make_area

from .conftest import close_by_the_clock, make_signatory, option_ids

SIZES = [2841, 6120, 11904, 3377, 8012, 4519, 9733, 5206, 7468, 12590, 3950, 10277]
VOTES_YES = [True, False, True, True, False, True, False, True, True, False, True, False]


@pytest.fixture
def area(group):
    area = make_area(practices=len(SIZES), footprint_of=group)
    practices: list = area["practices"]  # type: ignore[assignment]
    for practice, size in zip(practices, SIZES, strict=True):
        Organisation.objects.filter(pk=practice.pk).update(list_size=size)
    return area


@pytest.mark.django_db
def test_published_result_of_a_secret_ballot_resists_the_subset_sum_attack(make_ballot, group, area):
    ballot = make_ballot(is_secret=True, weighting="list_size")
    yes, no = option_ids(ballot)
    for i, (practice, says_yes) in enumerate(zip(area["practices"], VOTES_YES, strict=True)):
        user = make_signatory(group, practice, f"secret{i}@nhs.test")
        services.ballot_cast(ballot=ballot, user=user, content={"choice": yes if says_yes else no})
    ballot = close_by_the_clock(ballot)

    # What anyone in the group can see: who voted (and so their list sizes) and the result.
    voted = Participation.objects.filter(ballot=ballot).values_list("elector__weight", flat=True)
    weights = list(voted)
    assert sorted(weights) == sorted(SIZES)
    rows = {r["id"]: r for r in ballot.result["options"]}
    counts = {yes: rows[yes]["count"], no: rows[no]["count"]}
    published = [
        PublishedShare(
            o, Fraction(rows[o]["patients_range"][0]), Fraction(rows[o]["patients_range"][1]), "", False
        )
        for o in (yes, no)
    ]
    assert all(rows[o]["patients"] is None for o in (yes, no)), "no exact patient totals are published"
    assert attack(voter_weights=weights, counts=counts, published=published) == {}

    # Control: had the exact totals been published, the same attack would name every practice.
    truth = dict(zip(SIZES, VOTES_YES, strict=True))
    exact_yes = Fraction(sum(w for w in weights if truth[w]), sum(weights))
    exact = [
        PublishedShare(yes, exact_yes, exact_yes, "", False),
        PublishedShare(no, 1 - exact_yes, 1 - exact_yes, "", False),
    ]
    recovered = attack(voter_weights=weights, counts=counts, published=exact)
    assert len(recovered) == len(SIZES)
    assert all((recovered[i] == yes) == truth[w] for i, w in enumerate(weights))
