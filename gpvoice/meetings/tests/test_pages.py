from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gpvoice.core.models import Role
from gpvoice.directory.models import OrgType, Person
from gpvoice.directory.tests.factories import DeclarationFactory, OrganisationFactory
from gpvoice.governance.models import RollEntry, RollStatus
from gpvoice.meetings import services
from gpvoice.meetings.models import Action, AgendaItem, Invitation, ItemMinutes, MeetingStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, admin, strong_login):
    strong_login(client, admin)
    return client


def _url(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.group.slug, meeting.pk])


def test_calling_a_meeting_through_the_page(officer, group, people):
    on = (timezone.localdate() + timedelta(days=10)).strftime("%d/%m/%Y")
    response = officer.post(
        reverse("meetings:new", args=[group.slug]),
        {
            "body": "group",
            "title": "March",
            "on": on,
            "starts": "18:30",
            "ends": "20:00",
            "place": "Town hall",
        },
    )
    assert response.status_code == 302
    meeting = group.meetings.get()
    assert meeting.place == "Town hall" and meeting.invitations.count() == 5


def test_a_meeting_in_the_past_is_refused_with_a_message(officer, group, people):
    on = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    response = officer.post(
        reverse("meetings:new", args=[group.slug]),
        {"body": "group", "title": "Late", "on": on, "starts": "18:30", "ends": "20:00"},
    )
    assert response.status_code == 200
    assert "The meeting must be in the future" in response.content.decode()
    assert not group.meetings.exists()


def _grow(meeting, admin, n: int) -> None:
    """``n`` more items, each with minutes, a decision, an action, an interest and a declaration."""
    practice = OrganisationFactory(org_type=OrgType.PRACTICE)
    for i in range(n):
        person = Person.objects.create(
            full_name=f"Member {meeting.pk}-{i}", email=f"m{meeting.pk}-{i}@nhs.test"
        )
        RollEntry.objects.create(group=meeting.group, person=person, status=RollStatus.CORE)
        Invitation.objects.create(meeting=meeting, person=person, status="core", counts_for_quorum=True)
        DeclarationFactory(person=person, organisation=practice)
        item = AgendaItem.objects.create(
            meeting=meeting, title=f"Item {i}", position=100 + i, organisation=practice
        )
        if meeting.status == MeetingStatus.HELD:
            services.minutes_save(item=item, text=f"Said {i}", version=0, actor=admin)
            services.decision_record(item=item, text=f"Decided {i}", actor=admin)
            services.action_create(
                item=item, description=f"Do {i}", owner=person, due_on=timezone.localdate(), actor=admin
            )
        services.interest_declare(item=item, person=person, nature="Partner", withdrew=True, actor=admin)


@pytest.mark.parametrize("page", ["detail", "pack", "agenda", "minutes", "manage"])
def test_meeting_pages_run_the_same_queries_however_big_the_meeting(officer, held, admin, page):
    meeting = held()
    _grow(meeting, admin, 1)
    officer.get(_url(page, meeting))  # warm the session and the settings lookups
    with CaptureQueriesContext(connection) as small:
        assert officer.get(_url(page, meeting)).status_code == 200
    _grow(meeting, admin, 6)
    with CaptureQueriesContext(connection) as big:
        response = officer.get(_url(page, meeting))
    assert response.status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_list_runs_the_same_queries_however_many_meetings(officer, make_meeting, group):
    make_meeting()
    with CaptureQueriesContext(connection) as small:
        officer.get(reverse("meetings:list", args=[group.slug]))
    for days in range(10, 20):
        make_meeting(days=days)
    with CaptureQueriesContext(connection) as big:
        officer.get(reverse("meetings:list", args=[group.slug]))
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_pack_shows_declarations_beside_the_item_and_is_not_cached(officer, held, admin):
    meeting = held()
    _grow(meeting, admin, 2)
    response = officer.get(_url("pack", meeting))
    body = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "Declared interests in" in body and "Member" in body and "withdrew" in body
    # Two of the (now four) core members attended when the decisions were recorded: short of three.
    assert "Taken without a quorum" in body


def test_observers_read_papers_only_when_the_group_allows(client, group, held, admin, personas):
    meeting = held()
    services.agenda_item_add(meeting=meeting, title="Confidential budget", actor=admin)
    client.force_login(personas[Role.OBSERVER])
    assert "Confidential budget" not in client.get(_url("detail", meeting)).content.decode()
    assert "Confidential budget" not in client.get(_url("pack", meeting)).content.decode()
    services.meeting_settings_update(
        group=group, quorum_num=1, quorum_den=2, observers_see_papers=True, actor=admin
    )
    assert "Confidential budget" in client.get(_url("detail", meeting)).content.decode()


def test_a_stale_minutes_save_keeps_the_editors_text_on_the_page(officer, held, admin):
    meeting = held()
    item = services.agenda_item_add(meeting=meeting, title="Budget", actor=admin)
    services.minutes_save(item=item, text="Saved by someone else", version=0, actor=admin)
    response = officer.post(
        _url("minutes", meeting),
        {"do": "minutes", "item": item.pk, "text": "My careful words", "version": "0"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved" in body and "My careful words" in body and "Saved by someone else" in body
    assert ItemMinutes.objects.get(item=item).text == "Saved by someone else"


def test_a_member_declares_an_interest_and_sends_apologies(client, make_meeting, admin, personas, people):
    meeting = make_meeting()
    item = services.agenda_item_add(meeting=meeting, title="Estates", actor=admin)
    client.force_login(personas[Role.CORE])
    response = client.post(_url("detail", meeting), {"do": "interest", "item": item.pk, "nature": "Landlord"})
    assert response.status_code == 302
    assert item.interests.get().person == people[Role.CORE]
    assert client.post(_url("detail", meeting), {"do": "apologies"}).status_code == 302
    assert meeting.invitations.get(person=people[Role.CORE]).apologies_at is not None


def test_the_owner_sees_overdue_actions_on_the_home_page(client, held, admin, personas, people):
    meeting = held()
    item = services.agenda_item_add(meeting=meeting, title="Budget", actor=admin)
    services.action_create(
        item=item,
        description="Chase the ICB",
        owner=people[Role.CORE],
        due_on=timezone.localdate(),
        actor=admin,
    )
    client.force_login(personas[Role.CORE])
    home = reverse("core:group_home", args=[meeting.group.slug])
    assert "Chase the ICB" not in client.get(home).content.decode()
    Action.objects.update(due_on=timezone.localdate() - timedelta(days=1))  # a day later, as it were
    assert "Your overdue actions" in client.get(home).content.decode()


def test_calendar_feeds(client, make_meeting, personas):
    meeting = make_meeting()
    user = personas[Role.CORE]
    client.force_login(user)
    group_feed = client.get(reverse("meetings:group_calendar", args=[meeting.group.slug]))
    assert group_feed["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in group_feed.content
    client.post(reverse("meetings:my_calendar"), {"do": "new"})
    page = client.get(reverse("meetings:my_calendar")).content.decode()
    address = page.split("<code>")[1].split("</code>")[0]
    client.logout()
    feed = client.get(address)
    assert feed.status_code == 200 and meeting.title.encode() in feed.content
    client.force_login(user)
    client.post(reverse("meetings:my_calendar"), {"do": "revoke"})
    client.logout()
    assert client.get(address).status_code == 410


def _call(officer, group, **fields):
    on = (timezone.localdate() + timedelta(days=10)).strftime("%d/%m/%Y")
    post = {"body": "group", "title": "March", "on": on, "starts": "18:30", "ends": "20:00"} | fields
    return officer.post(reverse("meetings:new", args=[group.slug]), post)


def test_the_chair_is_named_by_email(officer, group, people):
    response = _call(officer, group, chair=" CORE.person@NHS.test ")
    assert response.status_code == 302
    assert group.meetings.get().chair == people[Role.CORE]


def test_the_page_to_call_a_meeting_lists_nobody(officer, group, people):
    body = officer.get(reverse("meetings:new", args=[group.slug])).content.decode()
    assert "Chair&#39;s email address (optional)" in body or "Chair's email address (optional)" in body
    assert "Dr Core member" not in body and "<select" not in body


@pytest.mark.parametrize(
    ("chair", "message"),
    [
        ("nobody@nhs.test", "Nobody on the roll or among the officers has that email address"),
        ("elsewhere@southmere.test", "Nobody on the roll or among the officers has that email address"),
        ("not an email", "Enter the chair&#39;s email address"),
        ("<script>alert(1)</script>@x", "Enter the chair&#39;s email address"),
        ("=HYPERLINK(1)", "Enter the chair&#39;s email address"),
        ("core.person@nhs.test\x00", "Enter the chair&#39;s email address"),
        ("a" * 300 + "@nhs.test", "254 characters or fewer"),
    ],
)
def test_a_chair_who_cannot_chair_is_refused_with_a_message(
    officer, group, other_group, people, chair, message
):
    Person.objects.create(full_name="Dr Elsewhere", email="elsewhere@southmere.test")  # another group's
    response = _call(officer, group, chair=chair)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not group.meetings.exists()


def test_an_executive_meeting_refuses_a_chair_who_is_not_invited(officer, group, people):
    response = _call(officer, group, body="executive", chair="attendee.person@nhs.test")
    assert response.status_code == 200
    assert "Choose a chair from the people invited" in response.content.decode()
    assert not group.meetings.exists()
