"""Nobody sees another group's people or existence (issue 9, item 1).

Reference data about organisations (ODS facts, list sizes) is readable to every signed-in
member; personal data shows in a group only for people on its roll, its members, and people
holding a current appointment at a practice in its footprint or that practice's PCN.
"""

from __future__ import annotations

from datetime import date

import pytest

from conftest import make_member
from gpvoice.core.models import Role
from gpvoice.directory.models import FootprintEntry, OrgStatus, OrgType, RoleType
from gpvoice.governance.models import RollEntry, RollStatus

from .factories import AppointmentFactory, DeclarationFactory, OrganisationFactory, PersonFactory, make_area

SECRETS = ("Southmere", "secret.partner@south.test", "07700 900123", "Dr Secret Partner", "Hidden Holdings")


@pytest.fixture
def ours(group):
    """Our group's footprint: the test area's PCN (practices Z90000, Z90001)."""
    return make_area(practices=2, footprint_of=group)


@pytest.fixture
def theirs(other_group):
    """Another group's practice, with a partner who belongs to no group of ours."""
    icb = OrganisationFactory(org_type=OrgType.ICB, ods_code="QYY", name="Southern ICB")
    pcn = OrganisationFactory(org_type=OrgType.PCN, ods_code="U88888", name="Southern PCN", icb=icb)
    practice = OrganisationFactory(
        ods_code="Z80000", name="Southern Surgery", pcn=pcn, icb=icb, list_size=4321, postcode="SO1 1AA"
    )
    FootprintEntry.objects.create(group=other_group, organisation=pcn)
    partner = AppointmentFactory(
        organisation=practice,
        person__full_name="Dr Secret Partner",
        person__email="secret.partner@south.test",
        person__phone="07700 900123",
    ).person
    AppointmentFactory(organisation=pcn, person=partner, role=RoleType.PCN_CLINICAL_DIRECTOR)
    AppointmentFactory(organisation=icb, person=partner, role=RoleType.ICB_EMPLOYEE)
    DeclarationFactory(person=partner, interest="Hidden Holdings Ltd")
    return {"icb": icb, "pcn": pcn, "practice": practice, "partner": partner}


@pytest.fixture
def member(client, personas):
    client.force_login(personas[Role.CORE])
    return client


def _page(client, group, path: str):
    return client.get(f"/g/{group.slug}/directory/{path}")


def _no_secrets(html: str) -> None:
    leaked = [s for s in SECRETS if s in html]
    assert leaked == [], f"another group's personal data or existence leaked: {leaked}"


@pytest.mark.django_db
def test_another_groups_person_is_404_through_my_group(member, group, ours, theirs):
    assert _page(member, group, f"people/{theirs['partner'].pk}/").status_code == 404


@pytest.mark.django_db
def test_another_groups_practice_shows_reference_data_but_no_people_or_groups(member, group, ours, theirs):
    response = _page(member, group, "practices/Z80000/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Southern Surgery" in html and "4,321" in html and "SO1 1AA" in html, "ODS facts stay readable"
    assert "Outside Northvale Leadership Group" in html and "reference data" in html
    assert "1 other person not in this group" in html
    _no_secrets(html)


@pytest.mark.django_db
def test_another_groups_pcn_and_icb_hide_their_people(member, group, ours, theirs):
    AppointmentFactory(organisation=theirs["pcn"], person=theirs["partner"], role=RoleType.PCN_MANAGER)
    pcn = _page(member, group, "pcns/U88888/").content.decode()
    assert "Southern PCN" in pcn and "Not in this group&#39;s records" in pcn
    assert "1 other person not in this group" in pcn, "one person with two appointments is one person"
    _no_secrets(pcn)
    icb = _page(member, group, f"organisations/{theirs['icb'].pk}/").content.decode()
    assert "Southern ICB" in icb and "1 other person" in icb
    _no_secrets(icb)


@pytest.mark.django_db
def test_my_footprints_people_show_with_their_contact_details(member, group, ours, theirs):
    director = ours["director"].person
    pcn = _page(member, group, "pcns/U99999/").content.decode()
    assert director.full_name in pcn and "other person" not in pcn
    person = _page(member, group, f"people/{director.pk}/").content.decode()
    assert director.email in person


@pytest.mark.django_db
def test_groups_covering_a_practice_are_only_the_viewers_own(member, group, other_group, ours, theirs):
    FootprintEntry.objects.create(group=other_group, organisation=ours["icb"])  # both cover Z90000
    html = _page(member, group, "practices/Z90000/").content.decode()
    assert "Northvale Leadership Group" in html.split("Your groups whose footprint includes it")[1][:400]
    assert "Southmere" not in html


@pytest.mark.django_db
def test_practice_list_shows_the_footprint_by_default_and_england_one_filter_away(
    member, group, ours, theirs
):
    default = _page(member, group, "practices/").content.decode()
    assert "2 practices" in default and "Southern Surgery" not in default
    assert "All practices in England (reference data)" in default, "the filter is offered and labelled"
    england = member.get(f"/g/{group.slug}/directory/practices/", {"scope": "england"}).content.decode()
    assert "3 practices" in england and "Southern Surgery" in england
    assert "NHS reference data" in england


@pytest.mark.django_db
def test_a_closed_practice_in_the_footprint_stays_listed_for_the_status_filter(member, group, ours):
    closed = ours["practices"][1]
    closed.status = OrgStatus.CLOSED
    closed.save()
    html = member.get(f"/g/{group.slug}/directory/practices/", {"status": "closed"}).content.decode()
    assert "1 practice<" in html and closed.ods_code in html


# The rule, pinned at each edge ------------------------------------------------------------------


def _visible(group, person) -> bool:
    from gpvoice.directory.selectors import person_visible_in

    return person_visible_in(group=group, person=person)


@pytest.mark.django_db
def test_a_person_is_visible_through_each_way_of_belonging_and_no_other(group, other_group, ours, theirs):
    elsewhere = OrganisationFactory(ods_code="Z70000", name="Unclaimed Surgery")
    practice, pcn = ours["practices"][0], ours["pcn"]

    at_practice = AppointmentFactory(organisation=practice).person
    at_pcn = AppointmentFactory(organisation=pcn, role=RoleType.PCN_MANAGER).person
    ended = AppointmentFactory(organisation=practice, end=date(2021, 1, 1)).person
    future = AppointmentFactory(organisation=practice, start=date(2099, 1, 1)).person
    at_icb_only = AppointmentFactory(organisation=ours["icb"], role=RoleType.ICB_EMPLOYEE).person
    nobody = AppointmentFactory(organisation=elsewhere).person
    on_roll = AppointmentFactory(organisation=elsewhere).person
    RollEntry.objects.create(group=group, person=on_roll, status=RollStatus.ATTENDEE)
    left_roll = AppointmentFactory(organisation=elsewhere).person
    RollEntry.objects.create(
        group=group, person=left_roll, status=RollStatus.CORE, start=date(2020, 1, 1), end=date(2021, 1, 1)
    )
    on_their_roll = PersonFactory()
    RollEntry.objects.create(group=other_group, person=on_their_roll, status=RollStatus.CORE)
    member = PersonFactory(user=make_member(group, Role.OBSERVER, "observer2@northvale.test"))
    their_member = PersonFactory(user=make_member(other_group, Role.CORE, "core2@southmere.test"))

    assert _visible(group, at_practice) and _visible(group, at_pcn), "footprint practice and its PCN"
    assert _visible(group, on_roll) and _visible(group, member)
    assert not _visible(group, ended), "an appointment that has ended no longer counts"
    assert not _visible(group, future), "nor one not yet begun"
    assert not _visible(group, at_icb_only), "an ICB in the footprint's hierarchy is not a practice or PCN"
    assert not _visible(group, left_roll), "an ended roll entry no longer counts"
    assert not _visible(group, nobody) and not _visible(group, theirs["partner"])
    assert not _visible(group, on_their_roll) and not _visible(group, their_member)
    assert _visible(other_group, theirs["partner"]) and _visible(other_group, their_member)


@pytest.mark.django_db
def test_closing_a_practice_takes_its_people_out_of_the_groups_records(group, ours):
    person = AppointmentFactory(organisation=ours["practices"][0]).person
    assert _visible(group, person)
    ours["practices"][0].status = OrgStatus.CLOSED
    ours["practices"][0].save()
    assert not _visible(group, person)


@pytest.mark.django_db
def test_directory_pages_query_counts_do_not_grow_with_people(
    member, group, ours, theirs, django_assert_max_num_queries
):
    def counts() -> list[int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        found = []
        paths = ("practices/Z90000/", "practices/Z80000/", "pcns/U88888/", f"people/{theirs['partner'].pk}/")
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                _page(member, group, path)
            found.append(len(ctx))
        director = ours["director"].person_id
        with CaptureQueriesContext(connection) as ctx:
            _page(member, group, f"people/{director}/")
        return [*found, len(ctx)]

    before = counts()
    for i in range(30):
        AppointmentFactory(organisation=ours["practices"][0])
        AppointmentFactory(organisation=theirs["practice"])
        AppointmentFactory(organisation=theirs["pcn"], role=RoleType.PCN_MANAGER)
        elsewhere = OrganisationFactory(ods_code=f"Z6{i:04d}")
        AppointmentFactory(person=ours["director"].person, organisation=elsewhere)
        DeclarationFactory(person=ours["director"].person)
    assert counts() == before


@pytest.mark.django_db
def test_an_organisations_people_follow_the_rule_person_by_person(group, other_group, ours, theirs):
    """The organisation pages read a footprint practice's or PCN's people without checking each
    (everyone appointed there is in the records by the rule's last limb) and check each person
    everywhere else. Both ways must name exactly the people ``person_visible_in`` lets the group
    see, and count the rest: a footprint practice, its PCN, a closed footprint practice, another
    group's practice and PCN, an ICB above the footprint and an unclaimed practice."""
    from gpvoice.directory.selectors import appointments_at, appointments_visible_at

    practice, closed, pcn = ours["practices"][0], ours["practices"][1], ours["pcn"]
    closed.status = OrgStatus.CLOSED
    closed.save()
    elsewhere = OrganisationFactory(ods_code="Z70000", name="Unclaimed Surgery")
    on_roll = PersonFactory()
    RollEntry.objects.create(group=group, person=on_roll, status=RollStatus.CORE)
    for organisation in (practice, closed, pcn, theirs["practice"], theirs["pcn"], ours["icb"], elsewhere):
        AppointmentFactory(organisation=organisation)
        AppointmentFactory(organisation=organisation, person=on_roll)
        AppointmentFactory(organisation=organisation, end=date(2021, 1, 1))
    expected_inside = {practice.pk: True, pcn.pk: True}
    for organisation in (practice, closed, pcn, theirs["practice"], theirs["pcn"], ours["icb"], elsewhere):
        people = appointments_visible_at(group=group, organisation=organisation)
        current = {a.person for a in appointments_at(organisation=organisation)}
        seen = {p for p in current if _visible(group, p)}
        assert {s.person_id for s in people.visible} == {p.pk for p in seen}, organisation.ods_code
        assert people.hidden == len(current - seen), organisation.ods_code
        assert people.in_footprint == expected_inside.get(organisation.pk, False), organisation.ods_code
    assert appointments_visible_at(group=group, organisation=practice).hidden == 0
    # Checked one by one: of three appointed at each, the ended one is not listed and the roll names one.
    for organisation in (closed, elsewhere):
        assert appointments_visible_at(group=group, organisation=organisation).hidden == 1
