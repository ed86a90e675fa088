"""Representation's rules, each at its boundary, and refusals that change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gpvoice.core import agenda
from gpvoice.core.models import Role
from gpvoice.directory.models import Appointment, Declaration, RoleType
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.representation import selectors, services
from gpvoice.representation.models import Briefing, PositionStatus, ReportBack, SeatAppointment

from .conftest import today

pytestmark = pytest.mark.django_db


# Forums and seats ------------------------------------------------------------------------------


def test_a_member_who_is_not_an_officer_cannot_add_a_forum(group, personas, icb, unchanged):
    with unchanged(), pytest.raises(services.RepresentationError, match="officers"):
        services.forum_create(
            group=group, name="Place", organiser=icb, cadence="monthly", actor=personas[Role.CORE]
        )


def test_a_forum_name_is_used_once_per_group(forum, group, admin, icb, unchanged):
    with unchanged(), pytest.raises(services.RepresentationError, match="already a forum"):
        services.forum_create(group=group, name="icb BOARD", organiser=icb, cadence="monthly", actor=admin)


@pytest.mark.parametrize("hostile", ["Board\x00", "x" * 201, "   "])
def test_hostile_forum_names_are_refused(group, admin, icb, unchanged, hostile):
    with unchanged(), pytest.raises(services.RepresentationError):
        services.forum_create(group=group, name=hostile, organiser=icb, cadence="monthly", actor=admin)


def test_a_meeting_date_keeps_its_briefing_and_report_dates(forum, admin):
    on = today() + timedelta(days=30)
    meeting = services.forum_meeting_add(forum=forum, on=on, actor=admin)
    assert meeting.briefing_due_on == on - timedelta(days=7)
    assert meeting.report_due_on == on + timedelta(days=10)


def test_appointing_with_nothing_found_records_an_empty_check(appoint, people):
    made = appoint(people[Role.CORE])
    assert made.findings == "" and made.proceed_reason == "" and not made.system_role


def test_a_second_representative_is_refused_while_the_first_term_runs(appoint, people, unchanged):
    appoint(people[Role.CORE])
    with unchanged(), pytest.raises(services.RepresentationError, match="end their appointment first"):
        appoint(people[Role.EXECUTIVE])


def test_a_representative_whose_term_ended_yesterday_is_replaced(appoint, people, seat):
    old = appoint(people[Role.CORE])
    SeatAppointment.objects.filter(pk=old.pk).update(term_ends_on=today() - timedelta(days=1))
    new = appoint(people[Role.EXECUTIVE])
    old.refresh_from_db()
    assert old.ended_at is not None and new.ended_at is None
    assert SeatAppointment.objects.filter(seat=seat, ended_at__isnull=True).count() == 1


def test_a_term_ending_today_still_holds_the_seat(appoint, people, unchanged):
    first = appoint(people[Role.CORE])
    SeatAppointment.objects.filter(pk=first.pk).update(term_ends_on=today())
    with unchanged(), pytest.raises(services.RepresentationError):
        appoint(people[Role.EXECUTIVE])


def test_one_person_cannot_be_representative_and_deputy(appoint, people, unchanged):
    appoint(people[Role.CORE])
    with unchanged(), pytest.raises(services.RepresentationError, match="cannot be both"):
        appoint(people[Role.CORE], holder="deputy")


def test_an_appointment_at_the_organiser_is_found_and_needs_a_reason(appoint, people, icb, unchanged):
    person = people[Role.CORE]
    Appointment.objects.create(person=person, role=RoleType.OTHER, organisation=icb, start=today())
    Declaration.objects.create(person=person, organisation=icb, nature="Paid adviser")
    with unchanged(), pytest.raises(services.ConflictsFound) as found:
        appoint(person)
    assert len(found.value.findings) == 2
    assert "holds an appointment (Other) at Test ICB, which runs the forum" in found.value.findings[0]
    assert "Paid adviser" in found.value.findings[1]
    made = appoint(person, proceed_reason="The only volunteer; the board knows.")
    assert "Paid adviser" in made.findings and made.proceed_reason.startswith("The only volunteer")


def test_an_ended_declaration_is_not_a_conflict(appoint, people, icb):
    Declaration.objects.create(
        person=people[Role.CORE],
        organisation=icb,
        nature="Old role",
        start=today() - timedelta(days=100),
        end=today() - timedelta(days=1),
    )
    assert appoint(people[Role.CORE]).findings == ""


def test_a_system_role_is_flagged_by_the_rolls_own_rule(appoint, people, icb):
    person = people[Role.CORE]
    Appointment.objects.create(
        person=person, role=RoleType.SYSTEM_CLINICAL_LEAD, organisation=icb, start=today()
    )
    with pytest.raises(services.ConflictsFound, match="system role"):
        appoint(person)
    made = appoint(person, holder="deputy", proceed_reason="Declared at the board.")
    assert made.system_role


def test_vacating_frees_the_seat_for_a_new_representative(appoint, people, admin):
    first = appoint(people[Role.CORE])
    services.seat_vacate(appointment=first, actor=admin)
    with pytest.raises(services.RepresentationError, match="already ended"):
        services.seat_vacate(appointment=first, actor=admin)
    assert appoint(people[Role.EXECUTIVE]).ended_at is None


# Positions ----------------------------------------------------------------------------------


def _position(group, admin, **fields):
    values = {
        "topic": "Urgent care",
        "statement": "Same-day care stays in practices.",
        "basis_kind": "consultation",
        "basis_label": "Consultation on same-day access",
        "agreed_on": today() - timedelta(days=30),
        "review_on": today() + timedelta(days=300),
    }
    values.update(fields)
    return services.position_create(group=group, actor=admin, **values)


def test_a_position_reviewed_on_the_day_agreed_is_refused(group, admin, unchanged):
    with unchanged(), pytest.raises(services.RepresentationError, match="after the date agreed"):
        _position(group, admin, agreed_on=today(), review_on=today())


def test_a_ballot_basis_must_be_a_published_ballot_of_the_group(group, other_group, admin, unchanged):
    from gpvoice.ballots.models import Ballot, Kind, Status

    theirs = Ballot.objects.create(
        group=other_group, title="Theirs", kind=Kind.RECORDED, status=Status.PUBLISHED
    )
    with unchanged(), pytest.raises(services.RepresentationError, match="published result"):
        _position(group, admin, basis_kind="ballot", basis_ref=str(theirs.pk))
    ours = Ballot.objects.create(
        group=group, title="Urgent care vote", kind=Kind.RECORDED, status=Status.PUBLISHED
    )
    made = _position(group, admin, basis_kind="ballot", basis_ref=f"#{ours.pk}")
    assert made.basis_label == "Ballot result: Urgent care vote" and made.basis_href.endswith(
        f"/{ours.pk}/result/"
    )


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.test/x", "http://plain.test"])
def test_a_basis_link_must_be_https_or_this_site(group, admin, unchanged, link):
    with unchanged(), pytest.raises(services.RepresentationError, match="https://"):
        _position(group, admin, basis_link=link)


def test_positions_past_review_are_flagged_and_withdrawn_ones_leave_the_briefing(group, admin, forum):
    from gpvoice.representation import presenters

    p = _position(group, admin)
    from gpvoice.representation.models import Position

    Position.objects.filter(pk=p.pk).update(review_on=today() - timedelta(days=1))
    p.refresh_from_db()
    assert presenters.position_status(p)["tag"] == "Past review"
    assert [x.pk for x in selectors.relevant_positions(forum=forum)] == [p.pk]
    services.position_update(
        position=p, status=PositionStatus.WITHDRAWN, published=False, review_on=p.review_on, actor=admin
    )
    assert selectors.relevant_positions(forum=forum) == []


def test_only_published_current_positions_are_public(group, admin):
    from gpvoice.core import glance

    _position(group, admin, topic="Internal")
    shown = _position(group, admin, topic="Estates", published=True)
    section = {s.key: s for s in glance.public(group)}["positions"]
    assert [row[0] for row in section.table.rows] == [shown.topic]


# Briefings and report-backs -------------------------------------------------------------------


def test_the_briefing_goes_once_when_due_with_relevant_positions_and_items(
    group, admin, forum, appoint, people, make_meeting
):
    appoint(people[Role.CORE])
    _position(group, admin, topic="Estates", statement="No new buildings without revenue.")
    _position(group, admin, topic="Workforce", statement="Not for this forum.")
    not_yet, due = make_meeting(8), make_meeting(7)
    services.briefing_item_add(meeting=due, kind="resist", text="<script>x</script> cuts", actor=admin)
    assert services.briefings_send_due() == 1
    assert services.briefings_send_due() == 0
    briefing = Briefing.objects.get()
    assert briefing.meeting == due and briefing.person == people[Role.CORE]
    assert "No new buildings" in briefing.text and "Not for this forum" not in briefing.text
    email = OutgoingEmail.objects.get(subject__startswith="Briefing")
    assert email.to == [people[Role.CORE].email] and "<script>" not in email.html
    assert not Briefing.objects.filter(meeting=not_yet).exists()


def test_a_deputy_is_briefed_when_no_one_represents(appoint, people, make_meeting, admin):
    appoint(people[Role.EXECUTIVE], holder="deputy")
    sent = services.briefing_send(meeting=make_meeting(3), actor=admin)
    assert sent.person == people[Role.EXECUTIVE]


def test_no_briefing_without_anyone_in_a_seat_and_it_shows_as_missing(group, make_meeting, admin, unchanged):
    meeting = make_meeting(3)
    with unchanged(), pytest.raises(services.RepresentationError, match="appoint a representative"):
        services.briefing_send(meeting=meeting, actor=admin)
    assert list(selectors.missing_briefings(group=group)) == [meeting]


def test_a_member_not_in_the_seat_cannot_add_items_or_file(
    appoint, people, personas, make_meeting, unchanged
):
    appoint(people[Role.CORE])
    ahead, past = make_meeting(3), make_meeting(-1)
    with unchanged(), pytest.raises(services.RepresentationError, match="representatives"):
        services.briefing_item_add(meeting=ahead, kind="ask", text="More", actor=personas[Role.ATTENDEE])
    with unchanged(), pytest.raises(services.RepresentationError, match="representatives"):
        services.report_back_file(
            meeting=past, attended=True, discussed="x", positions_held="held", actor=personas[Role.ATTENDEE]
        )


def test_the_representative_files_once_after_the_meeting(appoint, people, personas, make_meeting, unchanged):
    appoint(people[Role.CORE])
    rep = personas[Role.CORE]
    tomorrow, past = make_meeting(1), make_meeting(0)  # on the day of the meeting it may be filed
    with unchanged(), pytest.raises(services.RepresentationError, match="after the meeting"):
        services.report_back_file(
            meeting=tomorrow, attended=True, discussed="x", positions_held="held", actor=rep
        )
    with unchanged(), pytest.raises(services.RepresentationError, match="not held, and why"):
        services.report_back_file(
            meeting=past, attended=True, discussed="x", positions_held="partly", actor=rep
        )
    report = services.report_back_file(
        meeting=past, attended=True, discussed="**Winter**", positions_held="held", actor=rep
    )
    assert report.person == people[Role.CORE]
    with unchanged(), pytest.raises(services.RepresentationError, match="already been filed"):
        services.report_back_file(
            meeting=past, attended=True, discussed="y", positions_held="held", actor=rep
        )


def test_overdue_report_backs_are_chased_once_the_day_after_they_fall_due(
    appoint, people, make_meeting, group
):
    appoint(people[Role.CORE])
    due_today = make_meeting(-10)  # due today: not yet overdue
    overdue = make_meeting(-11)
    assert services.report_backs_chase() == 1
    assert services.report_backs_chase() == 0
    email = OutgoingEmail.objects.get(subject__startswith="Report-back overdue")
    assert email.to == [people[Role.CORE].email]
    overdue.refresh_from_db()
    due_today.refresh_from_db()
    assert overdue.report_chased_at is not None and due_today.report_chased_at is None
    assert selectors.coverage_counts(group=group)["overdue_reports"] == 1


def test_a_report_back_is_offered_to_the_agenda_and_noted_once(
    appoint, people, personas, make_meeting, group, admin
):
    appoint(people[Role.CORE])
    report = services.report_back_file(
        meeting=make_meeting(-2),
        attended=True,
        discussed="x",
        positions_held="none",
        actor=personas[Role.CORE],
    )
    offers = [o for o in agenda.offers(group, None) if o.source == "representation.report"]
    assert [o.ref for o in offers] == [str(report.pk)] and offers[0].notable
    with pytest.raises(agenda.AgendaRefused):
        agenda.note("representation.report", group=group, ref=str(report.pk), actor=personas[Role.CORE])
    agenda.note("representation.report", group=group, ref=str(report.pk), actor=admin)
    assert ReportBack.objects.get().noted_at is not None
    with pytest.raises(agenda.AgendaRefused, match="already"):
        agenda.note("representation.report", group=group, ref=str(report.pk), actor=admin)
    assert not [o for o in agenda.offers(group, None) if o.source == "representation.report"]


def test_another_groups_report_back_cannot_be_noted(
    appoint, people, personas, make_meeting, other_group, outsider
):
    appoint(people[Role.CORE])
    report = services.report_back_file(
        meeting=make_meeting(-2),
        attended=True,
        discussed="x",
        positions_held="none",
        actor=personas[Role.CORE],
    )
    with pytest.raises(agenda.AgendaRefused, match="not one of this group"):
        agenda.note("representation.report", group=other_group, ref=str(report.pk), actor=outsider)


def test_coverage_counts_gaps_and_terms_ending_within_three_months(group, appoint, people, seat, admin):
    counts = selectors.coverage_counts(group=group)
    assert counts["no_representative"] == 1 and counts["no_deputy"] == 1
    appoint(people[Role.CORE], term_ends_on=today() + timedelta(days=92))
    appoint(people[Role.EXECUTIVE], holder="deputy", term_ends_on=today() + timedelta(days=93))
    counts = selectors.coverage_counts(group=group)
    assert counts["no_representative"] == 0 and counts["no_deputy"] == 0 and counts["terms_ending"] == 1


def test_the_representatives_record_counts_meetings_briefings_and_reports(
    group, appoint, people, personas, make_meeting, admin
):
    appoint(people[Role.CORE])
    briefed = make_meeting(-3)
    Briefing.objects.create(meeting=briefed, person=people[Role.CORE], text="x")
    services.report_back_file(
        meeting=briefed, attended=True, discussed="x", positions_held="held", actor=personas[Role.CORE]
    )
    make_meeting(-20)  # overdue
    make_meeting(5)  # ahead: not counted
    row = selectors.records(group=group).get()
    assert (row.held, row.briefed, row.reported, row.overdue) == (2, 1, 1, 1)


def test_the_representative_has_to_dos(rf, group, appoint, people, personas, make_meeting, admin):
    from gpvoice.core import todo

    appoint(people[Role.CORE])
    services.briefing_send(meeting=make_meeting(2), actor=admin)
    make_meeting(-1)
    request = rf.get("/")
    request.user, request.group = personas[Role.CORE], group
    texts = [t.text for t in todo.items(request) if "representation" in t.href]
    assert any(t.startswith("Read your briefing") for t in texts)
    assert any(t.startswith("File your report-back") for t in texts)


def test_a_cancelled_forum_meeting_is_neither_missing_a_briefing_nor_overdue(
    group, make_meeting, admin, personas
):
    meeting = make_meeting(-30)
    assert selectors.coverage_counts(group=group)["overdue_reports"] == 1
    with pytest.raises(services.RepresentationError, match="officers"):
        services.forum_meeting_cancel(meeting=meeting, actor=personas[Role.CORE])
    services.forum_meeting_cancel(meeting=meeting, actor=admin)
    counts = selectors.coverage_counts(group=group)
    assert counts["overdue_reports"] == 0 and counts["missing_briefings"] == 0
    assert services.report_backs_chase() == 0


def test_a_body_within_the_organiser_is_found_but_a_practice_within_it_is_not(appoint, people, icb):
    from gpvoice.directory.models import Organisation, OrgType

    person = people[Role.CORE]
    practice = Organisation.objects.create(org_type=OrgType.PRACTICE, ods_code="Z1", name="Surgery", icb=icb)
    Appointment.objects.create(
        person=person, role=RoleType.PRACTICE_PARTNER, organisation=practice, start=today()
    )
    sub = Organisation.objects.create(org_type=OrgType.SUB_ICB, ods_code="Q1", name="North locality", icb=icb)
    Declaration.objects.create(person=person, organisation=sub, nature="Clinical adviser")
    with pytest.raises(services.ConflictsFound) as found:
        appoint(person)
    assert found.value.findings == [
        "Dr Core member has declared an interest in North locality, part of Test ICB, which runs the forum: "
        "Clinical adviser."
    ]
