from datetime import date, timedelta

import pytest

from gpvoice.directory.models import RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, PersonFactory
from gpvoice.governance import services
from gpvoice.governance.eligibility import decide
from gpvoice.governance.models import RollStatus
from gpvoice.governance.selectors import eligibility_of, roll_rows, settings_for


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "may_be_core", "says"),
    [
        ([RoleType.PCN_CLINICAL_DIRECTOR], True, "Acts for practices as PCN clinical director"),
        ([RoleType.PRACTICE_PARTNER], True, "Practice partner"),
        ([RoleType.LMC_SECRETARY], True, "LMC secretary"),
        ([RoleType.FEDERATION_LEAD], True, "Federation lead"),
        ([RoleType.SALARIED_GP], False, "No current appointment acts for practices"),
        ([RoleType.SYSTEM_CLINICAL_LEAD], False, "system role (System clinical lead"),
        ([RoleType.PRACTICE_PARTNER, RoleType.ICB_EMPLOYEE], False, "conflicted"),
        ([], False, "no current appointment"),
    ],
)
def test_rule_decides_and_names_the_appointment(roles, may_be_core, says):
    person = PersonFactory()
    appointments = [AppointmentFactory(person=person, role=r) for r in roles]
    result = decide(appointments)
    assert result.may_be_core is may_be_core
    assert says.lower() in result.reason.lower()


@pytest.mark.django_db
def test_ended_appointments_do_not_count(group):
    person = PersonFactory()
    AppointmentFactory(
        person=person, role=RoleType.PCN_CLINICAL_DIRECTOR, end=date.today() - timedelta(days=1)
    )
    assert not eligibility_of(person=person, group=group).may_be_core


@pytest.mark.django_db
def test_group_can_add_qualifying_roles(group):
    person = PersonFactory()
    AppointmentFactory(person=person, role=RoleType.PRACTICE_MANAGER)
    assert not eligibility_of(person=person, group=group).may_be_core
    settings = settings_for(group=group)
    settings.extra_eligible_roles = [RoleType.PRACTICE_MANAGER]
    settings.save()
    assert eligibility_of(person=person, group=group).may_be_core


@pytest.mark.django_db
def test_system_clinical_lead_is_refused_core_and_may_attend(group, personas):
    lead = PersonFactory(full_name="Dr System Lead")
    AppointmentFactory(person=lead, role=RoleType.SYSTEM_CLINICAL_LEAD)
    with pytest.raises(services.GovernanceError, match="cannot be a core member.*system role"):
        services.roll_add(group=group, person=lead, status=RollStatus.CORE, actor=None)
    entry = services.roll_add(group=group, person=lead, status=RollStatus.ATTENDEE, actor=None)
    assert "conflicted" in entry.basis


@pytest.mark.django_db
def test_core_member_who_stops_qualifying_is_flagged_not_removed(group):
    person = PersonFactory()
    appointment = AppointmentFactory(person=person, role=RoleType.PCN_CLINICAL_DIRECTOR)
    services.roll_add(group=group, person=person, status=RollStatus.CORE, actor=None)
    appointment.end = date.today() - timedelta(days=1)
    appointment.save()
    [row] = roll_rows(group=group)
    assert row.entry.status == RollStatus.CORE and row.flagged
    assert "no current appointment" in row.eligibility.reason.lower()


@pytest.mark.django_db
def test_person_is_on_the_roll_once(group):
    person = PersonFactory()
    AppointmentFactory(person=person, role=RoleType.PRACTICE_PARTNER)
    services.roll_add(group=group, person=person, status=RollStatus.CORE, actor=None)
    with pytest.raises(services.GovernanceError, match="already on the roll"):
        services.roll_add(group=group, person=person, status=RollStatus.OBSERVER, actor=None)


@pytest.mark.django_db
def test_declaration_older_than_a_year_is_due(group):
    from gpvoice.directory.tests.factories import DeclarationFactory

    person = PersonFactory()
    AppointmentFactory(person=person, role=RoleType.PRACTICE_PARTNER)
    DeclarationFactory(person=person, declared_on=date.today() - timedelta(days=400))
    services.roll_add(group=group, person=person, status=RollStatus.CORE, actor=None)
    assert roll_rows(group=group)[0].declarations_due
