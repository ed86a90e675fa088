from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_signatory  # noqa: F401 - re-exported for this app's tests
from gpvoice.ballots import services as ballots
from gpvoice.ballots.models import Ballot, Status
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import FootprintEntry, Organisation, OrgType
from gpvoice.directory.tests.factories import OrganisationFactory, PersonFactory
from gpvoice.priorities import services
from gpvoice.priorities.models import (
    AdoptedPriority,
    Candidate,
    DeliveryUpdate,
    Nomination,
    Phase,
    PhaseChange,
    PriorityRound,
)

_codes = count()


def make_practices(group, *, pcns: int, per_pcn: int) -> list[Organisation]:
    """Practices in ``pcns`` PCNs, every PCN in the group's footprint."""
    practices: list[Any] = []  # factory_boy returns models typed as their factories
    for _ in range(pcns):
        n = next(_codes)
        pcn = OrganisationFactory(org_type=OrgType.PCN, ods_code=f"U7{n:04d}", name=f"PCN {n}")
        FootprintEntry.objects.create(group=group, organisation=pcn)
        for i in range(per_pcn):
            practices.append(
                OrganisationFactory(
                    ods_code=f"Z7{n:02d}{i:02d}", name=f"Practice {n}-{i}", pcn=pcn, list_size=1000
                )
            )
    return practices


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def practices(group) -> list[Organisation]:
    return make_practices(group, pcns=2, per_pcn=2)  # practices 0, 1 in one PCN; 2, 3 in another


@pytest.fixture
def signatories(group, practices) -> list[Any]:
    return [make_signatory(group, p, f"sig{i}@nhs.test") for i, p in enumerate(practices)]


@pytest.fixture
def lead(personas):
    """The core member's person: a possible lead for an adopted priority."""
    return PersonFactory(full_name="Dr Lead Person", user=personas[Role.CORE], email="lead@nhs.test")


TITLES = ["Workforce", "Estates", "Same-day access"]


def option_ids(ballot: Ballot) -> dict[str, str]:
    return {o.label: str(o.pk) for o in ballot.options.all()}


def score(round: PriorityRound, user, practice, points: dict[str, int] | None = None, ranking=None) -> None:
    """Cast a practice's scoring vote, naming options by title."""
    ballot = round.scoring_ballot
    ids = option_ids(ballot)
    if ranking is not None:
        content: dict[str, Any] = {"ranking": [ids[t] for t in ranking]}
    elif points is not None:
        content = {"points": {ids[t]: n for t, n in points.items()}}
    else:
        content = {"abstain": True}
    ballots.ballot_cast(ballot=ballot, user=user, content=content, practice=practice)


def close_scoring(round: PriorityRound) -> Ballot:
    ballot = ballots.advance(ballot=round.scoring_ballot, now=round.scoring_ballot.closes_at)
    assert ballot.status == Status.PUBLISHED
    round.refresh_from_db()
    return ballot


@pytest.fixture
def make_round(group, admin, personas, practices) -> Callable[..., PriorityRound]:
    """A round brought to ``phase`` through the services: three options nominated by members,
    scored (when past scoring) by ``votes``: [(user, practice, {title: points} or [titles])]."""

    def make(phase: Phase = Phase.NOMINATIONS, *, votes=(), method="points", **fields: Any) -> PriorityRound:
        round = services.round_create(
            group=group, title=fields.pop("title", "Priorities 2027"), actor=admin, method=method, **fields
        )
        if phase == Phase.NOMINATIONS:
            return round
        for title, role in zip(TITLES, [Role.CORE, Role.ATTENDEE, Role.OBSERVER], strict=True):
            services.nomination_make(round=round, title=title, rationale=f"Why {title}", actor=personas[role])
        round = services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=admin)
        if phase == Phase.CONSOLIDATION:
            return round
        services.nominations_each_own(round=round, actor=admin)
        now = timezone.now()
        round = services.round_advance(
            round=round,
            to_phase=Phase.SCORING,
            actor=admin,
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(hours=1),
        )
        for user, practice, content in votes:
            if isinstance(content, list):
                score(round, user, practice, ranking=content)
            else:
                score(round, user, practice, points=content)
        if phase == Phase.SCORING:
            return round
        close_scoring(round)
        round = services.round_advance(round=round, to_phase=Phase.ADOPTION, actor=admin)
        if phase == Phase.ADOPTION:
            return round
        lead = PersonFactory(
            full_name="Dr Delivery Lead", user=personas[Role.EXECUTIVE], email="exec@nhs.test"
        )
        candidate = Candidate.objects.get(round=round, title=TITLES[0])
        services.priority_adopt(
            round=round,
            candidate=candidate,
            lead=lead,
            review_date=timezone.localdate() + timedelta(days=180),
            actor=admin,
        )
        return services.round_advance(round=round, to_phase=Phase.DELIVERY, actor=admin)

    return make


def state() -> tuple[Any, ...]:
    """Everything a refused priority-setting write must leave as it was."""
    return (
        list(PriorityRound.objects.order_by("pk").values_list("pk", "title", "phase", "scoring_ballot_id")),
        list(PhaseChange.objects.order_by("pk").values_list("pk", "phase")),
        list(Nomination.objects.order_by("pk").values_list("pk", "title", "rationale", "candidate_id")),
        list(Candidate.objects.order_by("pk").values_list("pk", "title", "description", "position")),
        list(AdoptedPriority.objects.order_by("pk").values_list("pk", "candidate_id", "lead_id", "status")),
        list(DeliveryUpdate.objects.order_by("pk").values_list("pk", "status", "text")),
        Ballot.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged():`` asserts the block leaves priority setting and the audit log as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard
