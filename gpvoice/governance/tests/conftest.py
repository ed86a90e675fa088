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
