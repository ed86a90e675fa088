"""Shared fixtures: two groups and a persona in every role, plus a member of the other group."""

from __future__ import annotations

import pytest

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup, Role
from gpvoice.core.services import group_create, membership_set


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters never carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def group(db) -> LeadershipGroup:
    return group_create(name="Northvale Leadership Group", slug="northvale")


@pytest.fixture
def other_group(db) -> LeadershipGroup:
    return group_create(name="Southmere Confederation", slug="southmere")


def make_member(group: LeadershipGroup, role: Role, email: str | None = None) -> User:
    user = User.objects.create_user(email=email or f"{role.value}@{group.slug}.test")
    membership_set(group=group, user=user, role=role)
    return user


def make_signatory(group: LeadershipGroup, practice: object, email: str) -> User:
    """A practice-staff member whose person (with that email) may act for ``practice``."""
    from gpvoice.directory.models import RoleType
    from gpvoice.directory.tests.factories import AppointmentFactory, PersonFactory

    user = make_member(group, Role.PRACTICE_STAFF, email)
    person = PersonFactory(full_name=f"Signatory {email}", user=user, email=email)
    AppointmentFactory(
        person=person, organisation=practice, role=RoleType.PRACTICE_MANAGER, is_signatory=True
    )
    return user


@pytest.fixture
def personas(group) -> dict[Role, User]:
    return {role: make_member(group, role) for role in Role}


@pytest.fixture
def outsider(other_group) -> User:
    """An admin of another group: the most privileged user who must still see nothing here."""
    return make_member(other_group, Role.ADMIN, "admin@southmere.test")


@pytest.fixture
def strong_login():
    """Log a client in as if by password + TOTP, which officer pages require."""

    def login(client, user: User) -> None:
        client.force_login(user)
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [
            {"method": "password", "at": 0, "email": user.email},
            {"method": "mfa", "at": 0, "type": "totp"},
        ]
        session.save()

    return login
