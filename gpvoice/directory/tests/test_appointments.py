"""Appointments and the signatory flag change only through checked, audited services."""

from datetime import date, timedelta

import pytest
import time_machine

from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import Appointment, FootprintEntry, Person, RoleType
from gpvoice.directory.services import (
    AppointmentError,
    FootprintError,
    appointment_add,
    appointment_end,
    appointment_set_signatory,
    footprint_add,
    footprint_remove,
)
from gpvoice.directory.tests.factories import AppointmentFactory, OrganisationFactory, make_area
from gpvoice.governance.selectors import signatory_practices


def _state():
    return (
        list(Appointment.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(FootprintEntry.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def area(group):
    return make_area(practices=2, footprint_of=group)


@pytest.fixture
def practice(area):
    return area["practices"][0]


def _add(group, practice, actor, **overrides):
    fields = {
        "full_name": "Ann Manager",
        "email": "ann@nhs.test",
        "role": RoleType.PRACTICE_MANAGER,
        "is_signatory": True,
    }
    return appointment_add(group=group, practice=practice, actor=actor, **{**fields, **overrides})


@pytest.mark.django_db
def test_an_admin_adds_a_signatory_who_may_then_act_for_the_practice(group, personas, practice):
    appointment = _add(group, practice, personas[Role.ADMIN])
    assert appointment.person.email == "ann@nhs.test" and appointment.is_signatory
    entry = AuditEntry.objects.get(action="directory.appointment.added")
    assert (
        entry.group == group
        and entry.data["new_person"] is True
        and entry.data["practice"] == practice.ods_code
    )
    from gpvoice.accounts.models import User

    user = User.objects.create_user(email="ann@nhs.test")
    Person.objects.filter(pk=appointment.person_id).update(user=user)
    assert list(signatory_practices(user=user)) == [practice]


@pytest.mark.django_db
def test_an_existing_person_is_found_by_email_not_duplicated(group, personas, practice):
    first = _add(group, practice, personas[Role.ADMIN], email="ANN@nhs.test")
    second = _add(group, practice, personas[Role.ADMIN], role=RoleType.SALARIED_GP, is_signatory=False)
    assert (
        first.person_id == second.person_id
        and Person.objects.filter(email__iexact="ann@nhs.test").count() == 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.CORE, Role.PRACTICE_STAFF])
def test_only_an_admin_of_the_group_changes_appointments(group, personas, outsider, practice, role):
    existing = AppointmentFactory(organisation=practice, start=date(2020, 1, 1))
    before = _state()
    for actor in (personas[role], outsider):
        with pytest.raises(AppointmentError, match="Only an admin of Northvale"):
            _add(group, practice, actor)
        with pytest.raises(AppointmentError, match="Only an admin of Northvale"):
            appointment_end(group=group, appointment=existing, actor=actor)
        with pytest.raises(AppointmentError, match="Only an admin of Northvale"):
            appointment_set_signatory(group=group, appointment=existing, is_signatory=True, actor=actor)
    assert _state() == before


@pytest.mark.django_db
def test_a_practice_outside_the_footprint_is_refused(group, other_group, personas, outsider, practice):
    elsewhere = OrganisationFactory(ods_code="Z77777")
    theirs = AppointmentFactory(organisation=elsewhere)
    before = _state()
    with pytest.raises(AppointmentError, match="not one of Northvale"):
        _add(group, elsewhere, personas[Role.ADMIN])
    with pytest.raises(AppointmentError, match="not one of Northvale"):
        appointment_set_signatory(
            group=group, appointment=theirs, is_signatory=True, actor=personas[Role.ADMIN]
        )
    # Another group's admin cannot reach this group's practice through their own group either.
    with pytest.raises(AppointmentError, match="not one of Southmere"):
        _add(other_group, practice, outsider)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": "Ann\x00"}, "cannot be stored"),
        ({"full_name": "   "}, "Enter their name"),
        ({"full_name": "A" * 201}, "200 characters"),
        ({"email": ""}, "Enter their email"),
        ({"title": "<b>" * 100}, "200 characters"),
        ({"role": "emperor"}, "Choose a role"),
        ({"role": None}, "Choose a role"),
        ({"start": date.today() + timedelta(days=1)}, "cannot be in the future"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(group, personas, practice, overrides, message):
    before = _state()
    with pytest.raises(AppointmentError, match=message):
        _add(group, practice, personas[Role.ADMIN], **overrides)
    assert _state() == before


@pytest.mark.django_db
def test_ending_and_the_signatory_flag_are_recorded_and_not_repeated(group, personas, practice):
    admin = personas[Role.ADMIN]
    appointment = _add(group, practice, admin, is_signatory=False)
    appointment_set_signatory(group=group, appointment=appointment, is_signatory=True, actor=admin)
    before = _state()
    appointment_set_signatory(group=group, appointment=appointment, is_signatory=True, actor=admin)
    assert _state() == before, "setting the flag it already has records nothing"
    appointment_end(group=group, appointment=appointment, actor=admin)
    actions = list(
        AuditEntry.objects.filter(action__startswith="directory.appointment").values_list("action", flat=True)
    )
    assert actions == [
        "directory.appointment.added",
        "directory.appointment.signatory_set",
        "directory.appointment.ended",
    ]
    before = _state()
    with pytest.raises(AppointmentError, match="already ended"):
        appointment_end(group=group, appointment=appointment, actor=admin)
    with time_machine.travel(date.today() + timedelta(days=1)):  # it ended at the end of today
        with pytest.raises(AppointmentError, match="Only a current appointment"):
            appointment_set_signatory(group=group, appointment=appointment, is_signatory=False, actor=admin)
    assert _state() == before


@pytest.mark.django_db
def test_only_an_admin_changes_the_footprint(group, personas, area):
    entry = FootprintEntry.objects.get(group=group)
    before = _state()
    with pytest.raises(FootprintError, match="Only an admin"):
        footprint_add(group=group, organisation=area["practices"][0], actor=personas[Role.EXECUTIVE])
    with pytest.raises(FootprintError, match="Only an admin"):
        footprint_remove(entry=entry, actor=personas[Role.CORE])
    assert _state() == before
    footprint_remove(entry=entry, actor=personas[Role.ADMIN])
    assert AuditEntry.objects.filter(action="directory.footprint.removed", object_id=str(entry.pk)).exists()


# Pages ----------------------------------------------------------------------------------------


def _url(group, practice):
    return f"/g/{group.slug}/appointments/{practice.ods_code}/"


@pytest.mark.django_db
def test_admin_adds_makes_signatory_and_ends_through_the_page(
    client, group, personas, strong_login, practice
):
    strong_login(client, personas[Role.ADMIN])
    assert practice.name in client.get(f"/g/{group.slug}/appointments/").content.decode()
    data = {
        "full_name": "Bob Partner",
        "email": "bob@nhs.test",
        "role": "practice_partner",
        "is_signatory": "no",
    }
    assert client.post(_url(group, practice), data).status_code == 302
    appointment = Appointment.objects.get(person__email="bob@nhs.test")
    page = client.get(_url(group, practice)).content.decode()
    assert "Bob Partner" in page and "Make signatory" in page
    assert client.post(_url(group, practice), {"signatory": appointment.pk, "make": "1"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.is_signatory
    assert client.post(_url(group, practice), {"end": appointment.pk}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.end == date.today()


@pytest.mark.django_db
def test_another_practices_or_groups_ids_are_not_found(
    client, group, other_group, personas, strong_login, practice, area
):
    strong_login(client, personas[Role.ADMIN])
    elsewhere = OrganisationFactory(ods_code="Z66666")
    FootprintEntry.objects.create(group=other_group, organisation=elsewhere)
    at_other_practice = AppointmentFactory(organisation=area["practices"][1])
    before = _state()
    assert client.get(_url(group, elsewhere)).status_code == 404
    assert (
        client.post(
            _url(group, elsewhere), {"full_name": "X", "email": "x@nhs.test", "role": "other"}
        ).status_code
        == 404
    )
    for body in (
        {"end": at_other_practice.pk},
        {"signatory": at_other_practice.pk, "make": "1"},
        {"end": "1\x00"},
    ):
        assert client.post(_url(group, practice), body).status_code == 404
    assert _state() == before


@pytest.mark.django_db
def test_a_refusal_on_the_page_shows_the_services_message(client, group, personas, strong_login, practice):
    strong_login(client, personas[Role.ADMIN])
    data = {"full_name": "Bob\x00", "email": "bob@nhs.test", "role": "practice_partner", "is_signatory": "no"}
    before = _state()
    response = client.post(_url(group, practice), data)
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["Z90000\x00", "%00", "Z9' OR 1=1", "x" * 300])
def test_a_hostile_practice_code_is_not_found(client, group, personas, strong_login, practice, code):
    from urllib.parse import quote

    strong_login(client, personas[Role.ADMIN])
    before = _state()
    assert client.get(f"/g/{group.slug}/appointments/{quote(code)}/").status_code == 404
    assert client.post(f"/g/{group.slug}/appointments/{quote(code)}/", {"end": "1"}).status_code == 404
    assert _state() == before
