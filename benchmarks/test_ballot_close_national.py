"""A ballot at national size through the database: `make bench` (not part of `make test`).

6,300 practices in 1,260 PCNs under one ICB in the footprint; a Schulze ballot with 50 options.
Times the opening (freezing the electorate), the close (loading every stored ballot, counting and
storing the result) for an open and a secret ballot, and the results page, whose query count must
not depend on the electorate.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.ballots import sealing, services
from gpvoice.ballots.models import SealedChoice, Vote
from gpvoice.core.models import Role
from gpvoice.core.services import group_create, membership_set
from gpvoice.directory.models import FootprintEntry, Organisation, OrgType

PRACTICES = 6300
OPTIONS = 50


def _area() -> Organisation:
    icb = Organisation.objects.create(org_type=OrgType.ICB, ods_code="QZZ", name="Benchmark ICB")
    pcns = Organisation.objects.bulk_create(
        Organisation(org_type=OrgType.PCN, ods_code=f"U{n:05d}", name=f"PCN {n}", icb=icb)
        for n in range(1260)
    )
    rng = random.Random(1)
    Organisation.objects.bulk_create(
        (
            Organisation(
                org_type=OrgType.PRACTICE,
                ods_code=f"Z{n:05d}",
                name=f"Practice {n}",
                icb=icb,
                pcn=pcns[n // 5],
                list_size=rng.randint(1000, 40000),
            )
            for n in range(PRACTICES)
        ),
        batch_size=1000,
    )
    return icb


def _timed(label: str, call, capsys):
    start = time.perf_counter()
    value = call()
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nballot {label:42} {connection.vendor:10} {elapsed:.2f} s")
    return value, elapsed


@pytest.mark.django_db
@pytest.mark.parametrize("secret", [False, True], ids=["open", "secret"])
def test_national_ballot_opens_closes_and_shows_its_result(client, secret, capsys):
    group = group_create(name="National benchmark", slug="national")
    FootprintEntry.objects.create(group=group, organisation=_area())
    officer = User.objects.create_user(email="bench@nhs.test")
    membership_set(group=group, user=officer, role=Role.ADMIN)  # only officers draft ballots
    now = timezone.now()
    draft = services.Draft(
        title="National priorities",
        question="Rank the priorities.",
        method="schulze",
        electorate="practices",
        options=[f"Priority {i}" for i in range(OPTIONS)],
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
        is_secret=secret,
    )
    ballot = services.ballot_schedule(
        ballot=services.ballot_create(group=group, draft=draft, actor=officer), actor=officer
    )
    ballot, _ = _timed("open (freeze 6,300 electors)", lambda: services.advance(ballot=ballot), capsys)
    ids = [str(pk) for pk in ballot.options.values_list("pk", flat=True)]
    rng = random.Random(2)
    electors = list(ballot.electors.all())
    rankings = [rng.sample(ids, OPTIONS) for _ in electors]
    # Stored directly, as ballot_cast would store them (the casting path is tested for races).
    if secret:
        SealedChoice.objects.bulk_create(
            (
                SealedChoice(
                    ballot=ballot,
                    seal=sealing.seal(ballot_id=ballot.pk, elector_id=e.pk),
                    receipt_digest=sealing.receipt_digest(sealing.new_receipt()),
                    content={"ranking": r},
                    sealed_weight=sealing.seal_weight(ballot_id=ballot.pk, weight=e.weight),
                )
                for e, r in zip(electors, rankings, strict=True)
            ),
            batch_size=1000,
        )
    else:
        Vote.objects.bulk_create(
            (
                Vote(ballot=ballot, elector=e, content={"ranking": r}, cast_by=officer)
                for e, r in zip(electors, rankings, strict=True)
            ),
            batch_size=1000,
        )
    label = f"close {'secret' if secret else 'open'} (count 6,300 x 50, store)"
    ballot, elapsed = _timed(label, lambda: services.advance(ballot=ballot, now=ballot.closes_at), capsys)
    assert ballot.result["turnout"]["count"] == PRACTICES
    assert elapsed < 120
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        (response, _) = _timed(
            "results page", lambda: client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/"), capsys
        )
    assert response.status_code == 200
    with capsys.disabled():
        print(f"ballot results page queries: {len(queries)}")
    assert len(queries) < 20
