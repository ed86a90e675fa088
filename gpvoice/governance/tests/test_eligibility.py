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


@pytest.mark.django_db
def test_flagged_count_follows_the_rule_of_decide_at_each_boundary(group):
    """The roll's warning is counted in SQL across every page; it must agree with ``decide``."""
    from gpvoice.governance.selectors import flagged_core_count

    today = date.today()
    cases = {
        "partner": [(RoleType.PRACTICE_PARTNER, None)],  # qualifies
        "ended yesterday": [(RoleType.PRACTICE_PARTNER, today - timedelta(days=1))],  # flagged
        "ends today": [(RoleType.PRACTICE_PARTNER, today)],  # still current: qualifies
        "system and partner": [(RoleType.PRACTICE_PARTNER, None), (RoleType.ICB_EMPLOYEE, None)],  # flagged
        "ended system role": [
            (RoleType.PRACTICE_PARTNER, None),
            (RoleType.ICB_EMPLOYEE, today - timedelta(days=1)),
        ],
        "manager only": [(RoleType.PCN_MANAGER, None)],
    }
    for name, appointments in cases.items():
        person = PersonFactory(full_name=name)
        seed = AppointmentFactory(person=person, role=RoleType.PRACTICE_PARTNER)  # qualifies when added
        services.roll_add(group=group, person=person, status=RollStatus.CORE, actor=None)
        seed.end = today - timedelta(days=1)
        seed.save()
        for role, end in appointments:
            AppointmentFactory(person=person, role=role, end=end)
    flagged = {row.entry.person.full_name for row in roll_rows(group=group) if row.flagged}
    assert flagged_core_count(group=group) == len(flagged)
    assert "ended yesterday" in flagged and "system and partner" in flagged
    assert not {"partner", "ends today", "ended system role"} & flagged
