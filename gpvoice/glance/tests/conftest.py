from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import make_signatory
from gpvoice.core.models import AuditEntry, LeadershipGroup, Membership, Role
from gpvoice.directory.tests.factories import make_area
from gpvoice.governance import services as governance


@pytest.fixture
def area(group):
    return make_area(practices=3, footprint_of=group)  # list sizes 1000, 2000, 3000


@pytest.fixture
def signatories(group, area):
    return [make_signatory(group, p, f"sig{i}@nhs.test") for i, p in enumerate(area["practices"])]


@pytest.fixture
def published(group):
    LeadershipGroup.objects.filter(pk=group.pk).update(public_page=True)
    group.refresh_from_db()
    return group


@pytest.fixture
def mandate(group, personas, area, signatories):
    """Terms put to the three practices; the first two (3,000 of 6,000 patients) agreed."""
    admin = personas[Role.ADMIN]
    terms = governance.terms_create(
        group=group, title="Terms of reference", body="# Purpose\nTo speak.", actor=admin
    )
    terms = governance.terms_issue(terms=terms, actor=admin)
    round = governance.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=14),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )
    for practice, user in zip(area["practices"][:2], signatories[:2], strict=True):
        governance.mandate_answer(round=round, practice=practice, answer="agree", user=user)
    governance.mandate_answer(
        round=round, practice=area["practices"][2], answer="decline", user=signatories[2]
    )
    return round


@pytest.fixture
def unchanged():
    class Guard:
        def _state(self) -> object:
            return (
                list(AuditEntry.objects.values_list("pk", flat=True)),
                list(LeadershipGroup.objects.order_by("pk").values()),
                list(Membership.objects.order_by("pk").values()),
            )

        def __enter__(self) -> None:
            self.before = self._state()

        def __exit__(self, *exc: object) -> None:
            assert self._state() == self.before, "a refused write changed the database"

    return Guard
