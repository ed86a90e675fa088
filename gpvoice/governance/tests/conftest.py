from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import make_signatory  # noqa: F401 - re-exported for this app's tests
from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import make_area
from gpvoice.governance import services


@pytest.fixture
def area(group):
    area = make_area(practices=3, footprint_of=group)  # list sizes 1000, 2000, 3000
    return area


@pytest.fixture
def signatories(group, area):
    return [make_signatory(group, p, f"sig{i}@nhs.test") for i, p in enumerate(area["practices"])]


@pytest.fixture
def open_round(group, personas):
    admin = personas[Role.ADMIN]
    terms = services.terms_create(
        group=group, title="Terms of reference", body="# Purpose\nTo speak.", actor=admin
    )
    terms = services.terms_issue(terms=terms, actor=admin)
    return services.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=14),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )


def state() -> dict[str, list]:
    """Every governed row, as values: what a refused write must leave exactly as it was."""
    from gpvoice.core.models import AuditEntry, Membership
    from gpvoice.directory.models import Appointment, FootprintEntry, FootprintPractice
    from gpvoice.governance import models

    tables = [
        AuditEntry,
        Membership,
        Appointment,
        FootprintEntry,
        FootprintPractice,
        models.GovernanceSettings,
        models.RollEntry,
        models.TermsOfReference,
        models.MandateRound,
        models.MandateAnswer,
        models.RoundCoverage,
        models.RoundPcnCoverage,
        models.DecisionCategory,
        models.CategoryChange,
        models.ExecutiveDecision,
    ]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in tables}


@pytest.fixture
def unchanged():
    """``with unchanged(): ...``: the block leaves governance, people and the audit log as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard
