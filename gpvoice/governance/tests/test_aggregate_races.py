"""Kept coverage under contention: answers from many signatories at once, and a footprint change
in the middle of them, leave the stored coverage equal to a full recount. Threads released
together; on PostgreSQL they really run in parallel (on SQLite, BEGIN IMMEDIATE queues them)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gpvoice.core.models import Role
from gpvoice.core.tests.threads import run_together
from gpvoice.directory import services as directory_services
from gpvoice.directory.models import OrgType
from gpvoice.directory.tests.factories import OrganisationFactory
from gpvoice.governance import aggregates, services
from gpvoice.governance.models import RoundCoverage

from .conftest import make_signatory
from .test_aggregates import assert_kept

PRACTICES = 12


@pytest.fixture
def crowd(group, area):
    """Twelve more practices in the area's PCN, each with two signatories."""
    practices = [
        OrganisationFactory(ods_code=f"Z55{i:03d}", pcn=area["pcn"], list_size=100 * (i + 1))
        for i in range(PRACTICES)
    ]
    return [
        (p, [make_signatory(group, p, f"c{i}-{j}@nhs.test") for j in range(2)])
        for i, p in enumerate(practices)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_answers_from_many_signatories_at_once_keep_coverage_equal_to_a_recount(open_round, crowd):
    calls: list[Callable[..., object]] = []
    for i, (practice, users) in enumerate(crowd):
        for j, user in enumerate(users):
            answer = ["agree", "decline", "abstain"][(i + j) % 3]
            calls.append(
                lambda p=practice, u=user, a=answer: services.mandate_answer(
                    round=open_round, practice=p, answer=a, user=u
                )
            )
    assert run_together(calls, refusals=(services.GovernanceError,), at_once=12) == []
    # Then withdrawals and changes of mind, at once again.
    calls = [
        (
            lambda p=practice, u=users[0]: services.mandate_answer(
                round=open_round, practice=p, answer="withdrawn", user=u
            )
        )
        for practice, users in crowd
    ] + [
        (
            lambda p=practice, u=users[1]: services.mandate_answer(
                round=open_round, practice=p, answer="agree", user=u
            )
        )
        for practice, users in crowd
    ]
    assert run_together(calls, refusals=(services.GovernanceError,), at_once=12) == []
    assert_kept(open_round)
    assert sum(RoundCoverage.objects.get(round=open_round).counts()[0].values()) == 3 + PRACTICES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_footprint_change_during_answers_keeps_coverage_equal_to_a_recount(
    group, open_round, crowd, personas
):
    admin = personas[Role.ADMIN]
    far_pcn = OrganisationFactory(org_type=OrgType.PCN, ods_code="U44444", name="Far PCN")
    far = [OrganisationFactory(ods_code=f"Z44{i:03d}", pcn=far_pcn, list_size=50) for i in range(4)]
    far_users = [make_signatory(group, p, f"far{i}@nhs.test") for i, p in enumerate(far)]
    for _ in range(3):
        entry_holder: list[object] = []

        def add(entry_holder: list[object] = entry_holder) -> None:
            entry_holder.append(
                directory_services.footprint_add(group=group, organisation=far_pcn, actor=admin)
            )

        calls = [add] + [
            (
                lambda p=practice, u=users[0]: services.mandate_answer(
                    round=open_round, practice=p, answer="agree", user=u
                )
            )
            for practice, users in crowd
        ]
        calls += [
            (lambda p=p, u=u: services.mandate_answer(round=open_round, practice=p, answer="decline", user=u))
            for p, u in zip(far, far_users, strict=True)
        ]
        # A far practice answering before its PCN joins is refused ("not in the footprint").
        assert run_together(calls, refusals=(services.GovernanceError,), at_once=12) == []
        assert_kept(open_round)
        entry = entry_holder[0]
        calls = [lambda e=entry: directory_services.footprint_remove(entry=e, actor=admin)] + [
            (
                lambda p=practice, u=users[1]: services.mandate_answer(
                    round=open_round, practice=p, answer="abstain", user=u
                )
            )
            for practice, users in crowd
        ]
        assert run_together(calls, refusals=(services.GovernanceError,), at_once=12) == []
        assert_kept(open_round)
        assert aggregates.differences(open_round) == []
