"""``directory.me``: the user's person and the organisations they sign for, read once per request,
with appointments in force on the day counted at both ends (start today, end today)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from conftest import make_member
from gpvoice.core.models import Role
from gpvoice.directory.me import NOBODY, me, read
from gpvoice.directory.tests.factories import AppointmentFactory, OrganisationFactory, PersonFactory
from gpvoice.governance.selectors import signatory_practices

ON = date(2026, 6, 15)


@pytest.fixture
def user(group):
    return make_member(group, Role.CORE, "core@northvale.test")


def test_a_user_without_a_person_is_nobody(user):
    assert read(user=user, on=ON) == NOBODY


def test_a_person_without_appointments_has_an_id_and_nothing_else(user):
    person = PersonFactory(user=user)
    found = read(user=user, on=ON)
    assert (found.person_id, found.signs_for, found.works_at) == (person.pk, frozenset(), frozenset())


def test_appointments_count_from_their_first_day_to_their_last(user):
    person = PersonFactory(user=user)
    day = timedelta(days=1)
    starts_today = AppointmentFactory(person=person, start=ON, is_signatory=True)
    ends_today = AppointmentFactory(person=person, start=ON - 10 * day, end=ON, is_signatory=True)
    AppointmentFactory(person=person, start=ON + day, is_signatory=True)  # not yet
    AppointmentFactory(person=person, start=ON - 10 * day, end=ON - day, is_signatory=True)  # over
    staff = AppointmentFactory(person=person, start=ON - day, is_signatory=False)

    found = read(user=user, on=ON)

    signing = {starts_today.organisation_id, ends_today.organisation_id}
    assert found.signs_for == signing
    assert found.works_at == signing | {staff.organisation_id}


def test_signs_for_matches_the_governance_rule_today(user):
    """The same practices as ``signatory_practices``, the subquery the to-dos used before."""
    person = PersonFactory(user=user)
    AppointmentFactory(person=person, is_signatory=True)
    AppointmentFactory(person=person, is_signatory=True, end=date.today() - timedelta(days=1))
    AppointmentFactory(person=person, is_signatory=False, organisation=OrganisationFactory())
    assert read(user=user).signs_for == set(signatory_practices(user=user).values_list("pk", flat=True))


def test_another_users_appointments_are_not_mine(user, group):
    PersonFactory(user=user)
    other = make_member(group, Role.CORE, "other@northvale.test")
    AppointmentFactory(person=PersonFactory(user=other), is_signatory=True)
    assert read(user=user, on=ON).signs_for == frozenset()


def test_read_once_per_request_in_one_query(user):
    AppointmentFactory(person=PersonFactory(user=user), is_signatory=True)
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        first = me(request)
        again = me(request)
    assert first is again
    assert len(queries) == 1


def test_an_anonymous_request_is_nobody_without_a_query(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        assert me(request) == NOBODY
    assert len(queries) == 0
