from datetime import date

import pytest
from django.core.cache import cache

from conftest import make_member
from gpvoice.api.services import token_create
from gpvoice.core.models import Role


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the rate limiter counts in the cache
    yield
    cache.clear()


@pytest.fixture
def admin(group):
    return make_member(group, Role.ADMIN, "admin@northvale.test")


@pytest.fixture
def other_admin(other_group):
    return make_member(other_group, Role.ADMIN, "admin@southmere.test")


@pytest.fixture
def token(group, admin):
    return token_create(group=group, name="ICB intranet", scope="read", valid_days=30, actor=admin)


@pytest.fixture
def other_token(other_group, other_admin):
    return token_create(group=other_group, name="Other ICB", scope="read", valid_days=30, actor=other_admin)


def published_ballot(group, title="Recorded vote"):
    from gpvoice.ballots.models import Ballot, Kind, Status

    return Ballot.objects.create(
        group=group,
        title=title,
        question="Agree?",
        kind=Kind.RECORDED,
        status=Status.PUBLISHED,
        meeting="Core group",
        held_on=date(2026, 11, 5),
    )


def bearer(text):
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}
