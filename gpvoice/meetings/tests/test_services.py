from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gpvoice.core.models import Role
from gpvoice.directory.models import OrgType
from gpvoice.directory.tests.factories import DeclarationFactory, OrganisationFactory
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.meetings import selectors, services
from gpvoice.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Body,
    Invitation,
    ItemMinutes,
    MeetingStatus,
    MinutesCorrection,
)
from gpvoice.meetings.quorum import needed, quorum

from .conftest import soon

pytestmark = pytest.mark.django_db


# The quorum rule, at its boundaries --------------------------------------------------------------


@pytest.mark.parametrize(
    ("counted", "num", "den", "expected"),
    [
        (6, 1, 2, 3),  # exactly half
        (5, 1, 2, 3),  # half of an odd number rounds up: 2.5 -> 3
        (4, 1, 2, 2),
        (3, 2, 3, 2),  # exactly two thirds
        (4, 2, 3, 3),  # 2.67 -> 3
        (1, 1, 2, 1),
        (0, 1, 2, 1),  # never fewer than one: no members, no quorum
        (7, 1, 1, 7),  # everyone
    ],
)
def test_quorum_needs_the_share_rounded_up(counted, num, den, expected):
    assert needed(counted, num, den) == expected


def test_quorum_is_met_at_exactly_the_number_needed_and_not_one_fewer():
    assert quorum(6, 3, 1, 2).met
    assert not quorum(6, 2, 1, 2).met
    assert quorum(6, 3, 1, 2).text == "Quorum met: 3 of 6 present, 3 needed."


# Calling a meeting -------------------------------------------------------------------------------


def test_a_group_meeting_invites_the_roll_and_counts_core_members(make_meeting, people):
    meeting = make_meeting()
    invited = {
        i.person_id: (i.status, i.counts_for_quorum) for i in Invitation.objects.filter(meeting=meeting)
    }
    assert invited == {
        people[Role.ADMIN].pk: ("core", True),
        people[Role.EXECUTIVE].pk: ("core", True),
        people[Role.CORE].pk: ("core", True),
        people[Role.ATTENDEE].pk: ("attendee", False),
        people[Role.OBSERVER].pk: ("observer", False),
    }
    email = OutgoingEmail.objects.get(to=["core.person@nhs.test"])
    assert "METHOD:REQUEST" in email.calendar and "BEGIN:VEVENT" in email.calendar


def test_an_executive_meeting_invites_the_officers(make_meeting, people):
    meeting = make_meeting(body=Body.EXECUTIVE)
    assert set(Invitation.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == {
        people[Role.ADMIN].pk,
        people[Role.EXECUTIVE].pk,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"starts_at": timezone.now() - timedelta(minutes=1)}, "must start in the future"),
        ({"ends_at": "same"}, "must end after it starts"),
        ({"title": "Core\x00group"}, "cannot be stored"),
        ({"title": "   "}, "Enter the title"),
        ({"video_link": "http://insecure.test/room"}, "https://"),
        ({"body": "board"}, "group meeting or an executive meeting"),
    ],
)
def test_bad_meetings_are_refused_and_change_nothing(group, admin, people, unchanged, change, message):
    starts_at, ends_at = soon()
    fields = {"title": "Core group", "starts_at": starts_at, "ends_at": ends_at, **change}
    if fields["ends_at"] == "same":
        fields["ends_at"] = fields["starts_at"]
    with unchanged(), pytest.raises(services.MeetingError, match=message):
        services.meeting_create(group=group, actor=admin, **fields)


@pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_only_officers_call_meetings(group, personas, people, unchanged, role):
    starts_at, ends_at = soon()
    with unchanged(), pytest.raises(services.MeetingError, match="Only the officers"):
        services.meeting_create(
            group=group, title="Mine", starts_at=starts_at, ends_at=ends_at, actor=personas[role]
        )


def test_an_officer_of_another_group_cannot_touch_this_one(make_meeting, outsider, unchanged):
    meeting = make_meeting()
    with unchanged(), pytest.raises(services.MeetingError):
        services.meeting_cancel(meeting=meeting, actor=outsider)


# Apologies, attendance, quorum -------------------------------------------------------------------


def test_apologies_before_the_start_and_not_after(make_meeting, personas, people, unchanged):
    meeting = make_meeting()
    services.apologies_send(meeting=meeting, person=people[Role.CORE], actor=personas[Role.CORE])
    assert Invitation.objects.get(meeting=meeting, person=people[Role.CORE]).apologies_at is not None
    with unchanged(), pytest.raises(services.MeetingError, match="before the meeting starts"):
        services.apologies_send(
            meeting=meeting,
            person=people[Role.ATTENDEE],
            actor=personas[Role.ATTENDEE],
            now=meeting.starts_at,
        )


def test_a_member_cannot_send_apologies_for_someone_else(make_meeting, personas, people, unchanged):
    meeting = make_meeting()
    with unchanged(), pytest.raises(services.MeetingError, match="Only the officers"):
        services.apologies_send(meeting=meeting, person=people[Role.ATTENDEE], actor=personas[Role.CORE])


def test_decisions_without_a_quorum_are_marked(held, admin):
    # Three core members, half needed (rounded up): two.
    quorate = held(present=(Role.ADMIN, Role.EXECUTIVE))
    item = services.agenda_item_add(meeting=quorate, title="Budget", actor=admin)
    assert services.decision_record(item=item, text="Agreed", actor=admin).quorate is True
    short = held(present=(Role.ADMIN, Role.ATTENDEE), title="Short")
    assert selectors.quorum_of(meeting=short).text == "Quorum not met: 1 of 3 present, 2 needed."
    item = services.agenda_item_add(meeting=short, title="Budget", actor=admin)
    assert services.decision_record(item=item, text="Agreed anyway", actor=admin).quorate is False


def test_the_group_sets_its_quorum(group, held, admin):
    services.meeting_settings_update(
        group=group, quorum_num=3, quorum_den=3, observers_see_papers=False, actor=admin
    )
    assert not selectors.quorum_of(meeting=held(present=(Role.ADMIN, Role.EXECUTIVE))).met


def test_cancelling_sends_a_cancellation(make_meeting, admin):
    meeting = make_meeting()
    services.meeting_cancel(meeting=meeting, actor=admin)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.sequence == 1
    cancellations = OutgoingEmail.objects.filter(subject__startswith="Cancelled")
    assert cancellations.count() == 5
    ics = cancellations.first().calendar
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics


# The agenda assembles itself ---------------------------------------------------------------------


def test_drafting_gathers_decisions_for_noting_and_open_actions_once(
    held, make_meeting, admin, people, decision
):
    first = held()
    item = services.agenda_item_add(meeting=first, title="Workforce", actor=admin)
    action = services.action_create(
        item=item,
        description="Write to the ICB",
        owner=people[Role.CORE],
        due_on=timezone.localdate(),
        actor=admin,
    )
    nxt = make_meeting(days=30, title="Next")
    assert services.agenda_draft(meeting=nxt, actor=admin) == 2
    assert services.agenda_draft(meeting=nxt, actor=admin) == 0  # each source record once
    items = {i.source: i for i in AgendaItem.objects.filter(meeting=nxt)}
    assert (
        items["governance.decision"].source_ref == str(decision.pk) and items["governance.decision"].notable
    )
    assert items["meetings.action"].source_ref == str(action.pk)
    services.action_status_set(action=action, status=ActionStatus.DONE, actor=people[Role.CORE].user)
    later = make_meeting(days=60, title="Later")
    services.agenda_draft(meeting=later, actor=admin)
    assert not AgendaItem.objects.filter(meeting=later, source="meetings.action").exists()


def test_noting_at_a_held_meeting_notes_the_decision(make_meeting, admin, decision, unchanged):
    meeting = make_meeting()
    services.agenda_draft(meeting=meeting, actor=admin)
    item = AgendaItem.objects.get(meeting=meeting, source="governance.decision")
    with unchanged(), pytest.raises(services.MeetingError, match="mark the meeting held"):
        services.agenda_item_note(item=item, actor=admin)
    services.meeting_hold(meeting=meeting, actor=admin, now=meeting.starts_at)
    services.agenda_item_note(item=item, actor=admin)
    decision.refresh_from_db()
    item.refresh_from_db()
    assert decision.noted_at is not None and item.noted_at is not None


def test_noting_refused_by_governance_changes_nothing(make_meeting, admin, personas, decision, unchanged):
    """The executive member manages the meeting, but governance lets only an admin note decisions."""
    meeting = make_meeting()
    services.agenda_draft(meeting=meeting, actor=admin)
    services.meeting_hold(meeting=meeting, actor=admin, now=meeting.starts_at)
    item = AgendaItem.objects.get(meeting=meeting, source="governance.decision")
    with unchanged(), pytest.raises(services.MeetingError, match="Only an admin"):
        services.agenda_item_note(item=item, actor=personas[Role.EXECUTIVE])


def test_the_chair_reorders_times_and_removes_items(make_meeting, admin, unchanged):
    meeting = make_meeting()
    a, b, c = (services.agenda_item_add(meeting=meeting, title=t, actor=admin) for t in "ABC")
    services.agenda_item_move(item=c, up=True, actor=admin)
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == ["A", "C", "B"]
    with unchanged():
        services.agenda_item_move(item=a, up=True, actor=admin)  # already first: nothing moves
    services.agenda_item_time(item=b, minutes_allowed=15, actor=admin)
    with unchanged(), pytest.raises(services.MeetingError, match="whole minutes"):
        services.agenda_item_time(item=b, minutes_allowed=241, actor=admin)
    services.agenda_item_remove(item=a, actor=admin)
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", "minutes_allowed")) == [
        ("C", None),
        ("B", 15),
    ]


# Minutes -----------------------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_the_newer_minutes_kept(held, admin, personas, unchanged):
    meeting = held()
    item = services.agenda_item_add(meeting=meeting, title="Budget", actor=admin)
    services.minutes_save(item=item, text="First draft", version=0, actor=admin)
    with unchanged(), pytest.raises(services.StaleMinutes, match="Someone else saved"):
        services.minutes_save(
            item=item, text="Written from the old page", version=0, actor=personas[Role.EXECUTIVE]
        )
    assert ItemMinutes.objects.get(item=item).text == "First draft"
    services.minutes_save(item=item, text="Second draft", version=1, actor=personas[Role.EXECUTIVE])
    assert ItemMinutes.objects.get(item=item).version == 2


def test_approved_minutes_are_kept_and_corrected_with_a_reason(held, admin, unchanged):
    meeting = held()
    item = services.agenda_item_add(meeting=meeting, title="Budget", actor=admin)
    services.minutes_save(item=item, text="Agreed £100", version=0, actor=admin)
    services.minutes_approve(meeting=meeting, actor=admin)
    with unchanged(), pytest.raises(services.MeetingError, match="approved and cannot be edited"):
        services.minutes_save(item=item, text="Agreed £1000", version=1, actor=admin)
    with unchanged(), pytest.raises(services.MeetingError, match="reason"):
        services.minutes_correct(item=item, text="Agreed £1000", reason="", actor=admin)
    services.minutes_correct(item=item, text="Agreed £1000", reason="Typo in the amount", actor=admin)
    assert ItemMinutes.objects.get(item=item).text == "Agreed £100"
    assert MinutesCorrection.objects.get().reason == "Typo in the amount"


def test_hostile_minutes_are_refused(held, admin, unchanged):
    item = services.agenda_item_add(meeting=held(), title="Budget", actor=admin)
    with unchanged(), pytest.raises(services.MeetingError, match="cannot be stored"):
        services.minutes_save(item=item, text="bad\x00byte", version=0, actor=admin)
    with unchanged(), pytest.raises(services.MeetingError, match="20,000 characters"):
        services.minutes_save(item=item, text="x" * 20_001, version=0, actor=admin)


def test_actions_need_an_invited_owner_and_a_date_not_past(held, admin, outsider, unchanged):
    from gpvoice.directory.models import Person

    item = services.agenda_item_add(meeting=held(), title="Budget", actor=admin)
    stranger = Person.objects.create(full_name="Not invited")
    with unchanged(), pytest.raises(services.MeetingError, match="owner from the people invited"):
        services.action_create(
            item=item, description="Do it", owner=stranger, due_on=timezone.localdate(), actor=admin
        )
    owner = Invitation.objects.filter(meeting=item.meeting).first().person
    with unchanged(), pytest.raises(services.MeetingError, match="today or later"):
        services.action_create(
            item=item,
            description="Do it",
            owner=owner,
            due_on=timezone.localdate() - timedelta(days=1),
            actor=admin,
        )


def test_only_the_owner_or_an_officer_updates_an_action(held, admin, personas, people, unchanged):
    item = services.agenda_item_add(meeting=held(), title="Budget", actor=admin)
    action = services.action_create(
        item=item, description="Do it", owner=people[Role.CORE], due_on=timezone.localdate(), actor=admin
    )
    with unchanged(), pytest.raises(services.MeetingError, match="action's owner"):
        services.action_status_set(action=action, status=ActionStatus.DONE, actor=personas[Role.ATTENDEE])
    services.action_status_set(action=action, status=ActionStatus.DONE, actor=personas[Role.CORE])
    assert Action.objects.get().status == ActionStatus.DONE


# Conflicts of interest ---------------------------------------------------------------------------


def test_an_invitee_declares_an_interest_and_declarations_by_organisation_show(
    make_meeting, admin, personas, people, unchanged
):
    meeting = make_meeting()
    practice = OrganisationFactory(org_type=OrgType.PRACTICE, name="Hill Surgery")
    item = services.agenda_item_add(meeting=meeting, title="Hill Surgery's request", actor=admin)
    AgendaItem.objects.filter(pk=item.pk).update(organisation=practice)
    DeclarationFactory(person=people[Role.CORE], organisation=practice, nature="Partner")
    DeclarationFactory(nature="Someone not invited", organisation=practice)
    services.interest_declare(
        item=item, person=people[Role.CORE], nature="Partner there", withdrew=True, actor=personas[Role.CORE]
    )
    rows = selectors.items(meeting=meeting)
    found = selectors.declarations_by_organisation(
        items=rows,
        people=list(Invitation.objects.filter(meeting=meeting).values_list("person_id", flat=True)),
    )
    assert [d.nature for d in found[practice.pk]] == ["Partner"]
    assert rows[0].interests.get().withdrew is True
    with unchanged(), pytest.raises(services.MeetingError, match="Only the officers"):
        services.interest_declare(
            item=item,
            person=people[Role.CORE],
            nature="For them",
            withdrew=False,
            actor=personas[Role.ATTENDEE],
        )


# Calendar addresses ------------------------------------------------------------------------------


def test_a_new_calendar_address_revokes_the_old(personas):
    user = personas[Role.CORE]
    first = services.calendar_feed_create(actor=user)
    second = services.calendar_feed_create(actor=user)
    assert selectors.feed_owner(token_hash=services.token_hash(first)) is None
    assert selectors.feed_owner(token_hash=services.token_hash(second)) == user
    services.calendar_feed_revoke(actor=user)
    assert selectors.feed_owner(token_hash=services.token_hash(second)) is None
