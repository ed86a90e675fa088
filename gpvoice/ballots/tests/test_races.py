"""Electors racing: 200 casts, several per practice, released together.

Run on SQLite and on PostgreSQL (CI runs the suite on both). PostgreSQL here accepts 100
connections, so a semaphore lets 50 threads hold one at a time; all 200 are started first and
released together by a barrier, so casts for the same practice genuinely overlap.
"""

from __future__ import annotations

import random

import pytest

from gpvoice.ballots import services
from gpvoice.ballots.models import Participation, SealedChoice, Status, Vote
from gpvoice.core.tests.threads import run_together
from gpvoice.directory.tests.factories import make_area

from .conftest import close_by_the_clock, make_signatory, option_ids

PRACTICES = 50
SIGNATORIES_EACH = 4
AT_ONCE = 50


@pytest.fixture
def area(group):
    """Overrides the package's four-practice area: fifty practices in the footprint."""
    area = make_area(practices=PRACTICES, footprint_of=group)
    return area


@pytest.fixture
def crowd(group, area):
    users = [
        (practice, make_signatory(group, practice, f"p{i}s{j}@nhs.test"))
        for i, practice in enumerate(area["practices"])
        for j in range(SIGNATORIES_EACH)
    ]
    return users


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_200_concurrent_casts_leave_one_ballot_per_elector(make_ballot, crowd, secret):
    ballot = make_ballot(method="points", options=["A", "B", "C"], points_allowance=100, is_secret=secret)
    ids = option_ids(ballot)
    rng = random.Random(4)
    calls = []
    for practice, user in crowd:
        content = {
            "points": dict(zip(ids, [rng.randint(0, 5), rng.randint(0, 5), rng.randint(1, 3)], strict=True))
        }
        calls.append(
            lambda u=user, c=content, p=practice: services.ballot_cast(
                ballot=ballot, user=u, content=c, practice=p
            )
        )
    rng.shuffle(calls)
    assert len(calls) == 200
    assert run_together(calls, at_once=AT_ONCE) == []

    if secret:
        assert Participation.objects.filter(ballot=ballot).count() == PRACTICES
        assert sum(Participation.objects.filter(ballot=ballot).values_list("casts", flat=True)) == 200
        assert SealedChoice.objects.filter(ballot=ballot).count() == PRACTICES
    else:
        assert Vote.objects.filter(ballot=ballot).count() == 200
        assert Vote.objects.filter(ballot=ballot, is_current=True).count() == PRACTICES
        assert (
            Vote.objects.filter(ballot=ballot, is_current=True).values("elector").distinct().count()
            == PRACTICES
        )

    ballot = close_by_the_clock(ballot)
    assert ballot.status == Status.PUBLISHED
    assert ballot.result["turnout"]["count"] == PRACTICES
    assert services.compute_result(ballot=ballot) == ballot.result
