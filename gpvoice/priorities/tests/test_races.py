"""Officers racing on a round: threads released together, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gpvoice.core.tests.threads import run_together
from gpvoice.directory.tests.factories import PersonFactory
from gpvoice.priorities import services
from gpvoice.priorities.models import AdoptedPriority, Candidate, Nomination, Phase

from .conftest import TITLES


@pytest.mark.django_db(transaction=True)
def test_adopting_at_once_never_passes_the_limit(make_round, admin, personas, signatories, practices):
    votes = [
        (u, p, {TITLES[0]: 50, TITLES[1]: 30, TITLES[2]: 20})
        for u, p in zip(signatories, practices, strict=True)
    ]
    round = make_round(Phase.ADOPTION, votes=votes, adopt_up_to=2)
    lead = PersonFactory(full_name="Dr Lead", user=personas["core"], email="lead-race@nhs.test")
    review = timezone.localdate() + timedelta(days=90)
    candidates = list(Candidate.objects.filter(round=round))
    calls = [
        (
            lambda c=c: services.priority_adopt(
                round=round, candidate=c, lead=lead, review_date=review, actor=admin
            )
        )
        for c in candidates
        for _ in range(2)  # each option twice, by "two officers"
    ]
    assert run_together(calls, refusals=(services.PriorityError,)) == []
    adopted = AdoptedPriority.objects.filter(round=round)
    assert adopted.count() == 2
    assert adopted.values("candidate").distinct().count() == 2


@pytest.mark.django_db(transaction=True)
def test_nominations_racing_the_close_of_nominations_land_before_it_or_not_at_all(
    make_round, admin, personas
):
    round = make_round(Phase.NOMINATIONS)
    member = personas["core"]
    for title in ("First idea", "Second idea"):  # consolidation needs two, whatever wins the race
        services.nomination_make(round=round, title=title, rationale="Because", actor=member)
    calls = [
        (
            lambda i=i: services.nomination_make(
                round=round, title=f"Idea {i}", rationale="Because", actor=member
            )
        )
        for i in range(8)
    ]
    calls.append(lambda: services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=admin))
    assert run_together(calls, refusals=(services.PriorityError,)) == []
    round.refresh_from_db()
    assert round.phase == Phase.CONSOLIDATION
    change = round.phase_changes.get(phase=Phase.CONSOLIDATION)
    assert all(n.created_at <= change.created_at for n in Nomination.objects.filter(round=round))
