"""The group home opens with what is mine to do: votes, ratification answers, nominations and
declarations, each with a link and a deadline; then the group's state. Its cost does not grow with
the number of practices I sign for or of ballots open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_member, make_signatory
from gpvoice.ballots import services as ballots
from gpvoice.ballots.models import Ballot
from gpvoice.core.models import Role
from gpvoice.directory.models import Declaration, RoleType
from gpvoice.directory.tests.factories import (
    AppointmentFactory,
    DeclarationFactory,
    OrganisationFactory,
    make_area,
)
from gpvoice.governance import services as governance
from gpvoice.governance.models import RollStatus
from gpvoice.priorities import services as priorities


@pytest.fixture
def area(group):
    return make_area(practices=3, footprint_of=group)


@pytest.fixture
def signatory(group, area):
    return make_signatory(group, area["practices"][0], "sig@nhs.test")


def _ballot(group, admin, title="Extended access", closes_in=timedelta(days=7)) -> Ballot:
    now = timezone.now()
    draft = ballots.Draft(
        title=title,
        question="Accept the offer?",
        method="yes_no",
        electorate="practices",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + closes_in,
    )
    ballot = ballots.ballot_create(group=group, draft=draft, actor=admin)
    return ballots.advance(ballot=ballots.ballot_schedule(ballot=ballot, actor=admin))


def _round(group, admin):
    terms = governance.terms_create(group=group, title="Terms of reference", body="# Purpose", actor=admin)
    terms = governance.terms_issue(terms=terms, actor=admin)
    return governance.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=14),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )


def _home(client, group):
    return client.get(reverse("core:group_home", args=[group.slug]))


def _todo_section(html: str) -> str:
    return html.split('id="to-do"', 1)[1].split("<h2>The group</h2>", 1)[0]


@pytest.mark.django_db
def test_a_signatory_sees_the_vote_to_cast_with_its_deadline_and_link(
    client, group, personas, signatory, area
):
    ballot = _ballot(group, personas[Role.ADMIN])
    client.force_login(signatory)
    html = _home(client, group).content.decode()
    todo = _todo_section(html)
    assert f"Vote in “Extended access” for {area['practices'][0].name}" in todo
    assert reverse("ballots:vote", args=[group.slug, ballot.pk]) + "?from=home" in todo
    assert "by " in todo and "To do" in todo
    assert f"Signatory of {area['practices'][0].name}" in html


@pytest.mark.django_db
def test_after_voting_from_the_to_do_list_the_home_page_says_so(client, group, personas, signatory, area):
    ballot = _ballot(group, personas[Role.ADMIN])
    client.force_login(signatory)
    vote_page = client.get(reverse("ballots:vote", args=[group.slug, ballot.pk]) + "?from=home")
    assert 'name="return_to" value="home"' in vote_page.content.decode()
    yes = str(ballot.options.get(position=1).pk)
    response = client.post(
        reverse("ballots:vote", args=[group.slug, ballot.pk]), {"choice": yes, "return_to": "home"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:group_home", args=[group.slug])
    html = client.get(response["Location"]).content.decode()
    assert f"Vote recorded: {ballot.electors.get(practice=area['practices'][0]).label}" in html
    todo = _todo_section(html)
    assert "Done" in todo and f"Voted for {area['practices'][0].name} on" in todo
    assert "To do</strong>" not in todo


@pytest.mark.django_db
def test_voting_from_the_ballot_page_still_returns_to_the_ballot(client, group, personas, signatory):
    ballot = _ballot(group, personas[Role.ADMIN])
    client.force_login(signatory)
    yes = str(ballot.options.get(position=1).pk)
    response = client.post(reverse("ballots:vote", args=[group.slug, ballot.pk]), {"choice": yes})
    assert response["Location"] == reverse("ballots:detail", args=[group.slug, ballot.pk])


@pytest.mark.django_db
def test_ratification_is_to_do_until_the_practice_answers(client, group, personas, signatory, area):
    round = _round(group, personas[Role.ADMIN])
    client.force_login(signatory)
    practice = area["practices"][0]
    todo = _todo_section(_home(client, group).content.decode())
    assert f"Answer the ratification of {round.terms} for {practice.name}" in todo
    governance.mandate_answer(round=round, practice=practice, answer="agree", user=signatory)
    todo = _todo_section(_home(client, group).content.decode())
    assert f"{practice.name} answered “agree” on" in todo
    assert "Answer the ratification" not in todo


@pytest.mark.django_db
def test_a_member_who_signs_for_nothing_has_no_votes_to_cast(client, group, personas, area):
    _ballot(group, personas[Role.ADMIN])
    _round(group, personas[Role.ADMIN])
    client.force_login(personas[Role.ATTENDEE])
    html = _home(client, group).content.decode()
    assert "Nothing is waiting for you" in html
    assert "Signatory of" not in html


@pytest.mark.django_db
def test_another_groups_ballots_are_not_on_my_list(client, group, other_group, personas, signatory, area):
    from gpvoice.directory.models import FootprintEntry

    FootprintEntry.objects.create(group=other_group, organisation=area["pcn"])
    other_admin = make_member(other_group, Role.ADMIN, "admin@southmere.test")
    _ballot(other_group, other_admin, title="Southmere question")
    client.force_login(signatory)
    assert "Southmere question" not in _home(client, group).content.decode()


@pytest.mark.django_db
def test_nominations_open_are_on_every_members_list(client, group, personas):
    round = priorities.round_create(group=group, title="Priorities 2027", actor=personas[Role.ADMIN])
    client.force_login(personas[Role.CORE])
    todo = _todo_section(_home(client, group).content.decode())
    assert "Nominations are open for “Priorities 2027”" in todo
    assert reverse("priorities:detail", args=[group.slug, round.pk]) in todo
    priorities.nomination_make(round=round, title="Workforce", rationale="Because", actor=personas[Role.CORE])
    todo = _todo_section(_home(client, group).content.decode())
    assert "You proposed 1 priority for “Priorities 2027”." in todo


@pytest.mark.django_db
def test_declarations_due_on_the_roll(client, group, personas, signatory):
    person = signatory.person
    governance.roll_add(group=group, person=person, status=RollStatus.OBSERVER, actor=personas[Role.ADMIN])
    client.force_login(signatory)
    assert "Declare your interests" in _todo_section(_home(client, group).content.decode())
    # Declared exactly a year ago: not yet due (due only when *more* than a year old).
    year_ago = timezone.localdate() - timedelta(days=365)
    DeclarationFactory(person=person, declared_on=year_ago)
    assert "declaration" not in _todo_section(_home(client, group).content.decode()).lower()
    Declaration.objects.filter(person=person).update(declared_on=year_ago - timedelta(days=1))
    assert "Renew your declaration of interests" in _todo_section(_home(client, group).content.decode())


def _count_home(client, group) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _home(client, group).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_home_page_costs_the_same_however_many_practices_and_ballots(client, group, personas, area):
    admin = personas[Role.ADMIN]
    user = make_signatory(group, area["practices"][0], "busy@nhs.test")
    governance.roll_add(group=group, person=user.person, status=RollStatus.OBSERVER, actor=admin)
    _ballot(group, admin, title="First")
    _round(group, admin)
    priorities.round_create(group=group, title="Round one", actor=admin)
    client.force_login(user)
    _home(client, group)  # warm: sessions, the clock's first pass
    small = _count_home(client, group)

    pcn = area["pcn"]
    more = [
        OrganisationFactory(ods_code=f"Z8{i:04d}", pcn=pcn, sub_icb=pcn.sub_icb, icb=pcn.icb, list_size=500)
        for i in range(5)
    ]
    for practice in [*area["practices"][1:], *more]:
        AppointmentFactory(
            person=user.person, organisation=practice, role=RoleType.PRACTICE_PARTNER, is_signatory=True
        )
    for n in range(4):
        _ballot(group, admin, title=f"Question {n}")
    priorities.round_create(group=group, title="Round two", actor=admin)
    DeclarationFactory(person=user.person, declared_on=date(2020, 1, 1))
    _home(client, group)
    big = _count_home(client, group)
    html = _home(client, group).content.decode()
    # 4 ballots × 8 practices, the first ballot's 3 and the ratification's 8:
    assert _todo_section(html).count("nhsuk-task-list__item") >= 5 * 8
    print(f"home page: {small} queries small, {big} big")
    assert big == small, f"home page: {small} queries small, {big} big"


@pytest.mark.django_db
def test_the_roll_says_who_signs_for_which_practice(client, group, personas, signatory, area):
    governance.roll_add(
        group=group, person=signatory.person, status=RollStatus.OBSERVER, actor=personas[Role.ADMIN]
    )
    client.force_login(personas[Role.CORE])
    html = client.get(reverse("governance:roll", args=[group.slug])).content.decode()
    assert f"Signatory of {area['practices'][0].name}" in html


PERSONAL = ("representation_briefing", "governance_rollentry", "meetings_action", "ballots_elector")


def _tables_read(client, group) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        assert _home(client, group).status_code == 200
    sql = " ".join(q["sql"] for q in queries)
    return {table for table in PERSONAL if f'"{table}"' in sql}


@pytest.mark.django_db
def test_to_dos_that_need_a_person_ask_nothing_of_a_member_without_one(client, group, personas, area):
    """Briefings, the roll, actions and votes are a person's: a member with no person record (and
    signing for no one) skips them, while a signatory's home reads every one of them."""
    admin = personas[Role.ADMIN]
    _ballot(group, admin)
    signatory = make_signatory(group, area["practices"][0], "sig@nhs.test")
    governance.roll_add(group=group, person=signatory.person, status=RollStatus.OBSERVER, actor=admin)

    client.force_login(personas[Role.CORE])
    _home(client, group)
    assert _tables_read(client, group) == set()

    client.force_login(signatory)
    _home(client, group)
    assert _tables_read(client, group) == set(PERSONAL)
