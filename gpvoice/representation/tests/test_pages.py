"""The pages: officers manage, representatives brief and report, members read; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from gpvoice.core.models import Role
from gpvoice.directory.models import Declaration
from gpvoice.representation import services
from gpvoice.representation.models import Briefing, Forum, ReportBack, SeatAppointment

from .conftest import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, admin, strong_login):
    strong_login(client, admin)
    return client


def _day(d) -> str:
    return d.strftime("%d/%m/%Y")


def test_an_officer_adds_a_forum_by_the_organisers_code(officer, group, icb):
    url = reverse("representation:forum_new", args=[group.slug])
    body = {
        "name": "Place board",
        "organiser": "qzz",
        "cadence": "monthly",
        "briefing_days": "7",
        "report_days": "10",
    }
    response = officer.post(url, body)
    forum = Forum.objects.get(name="Place board")
    assert response.status_code == 302 and forum.organiser == icb
    bad = officer.post(url, {**body, "name": "Other", "organiser": "NOPE"})
    assert bad.status_code == 200 and "ODS code of an ICB" in bad.content.decode()


def test_appointing_shows_what_the_check_found_and_records_the_reason(officer, group, seat, people, icb):
    person = people[Role.CORE]
    Declaration.objects.create(person=person, organisation=icb, nature="Paid adviser <b>x</b>")
    url = reverse("representation:seat", args=[group.slug, seat.pk])
    body = {
        "do": "appoint",
        "holder": "representative",
        "email": person.email.upper(),
        "starts_on": _day(today()),
        "term_ends_on": _day(today() + timedelta(days=365)),
    }
    first = officer.post(url, body)
    page = first.content.decode()
    assert first.status_code == 200 and "What the conflict check found" in page
    assert "Paid adviser &lt;b&gt;x&lt;/b&gt;" in page and not SeatAppointment.objects.exists()
    second = officer.post(url, {**body, "proceed_reason": "No one else stood.", "name_public": "on"})
    made = SeatAppointment.objects.get()
    assert second.status_code == 302 and made.proceed_reason == "No one else stood." and made.name_public


def test_a_member_cannot_add_a_seat_through_the_forum_page(client, group, forum, personas, unchanged):
    client.force_login(personas[Role.CORE])
    url = reverse("representation:forum", args=[group.slug, forum.pk])
    with unchanged():
        response = client.post(url, {"do": "add_seat", "title": "Mine"})
    assert response.status_code == 200 and "Only the officers" in response.content.decode()


def test_the_representative_reads_the_briefing_and_files_a_report_back(
    client, group, appoint, people, personas, make_meeting, admin
):
    appoint(people[Role.CORE])
    ahead = make_meeting(2)
    services.briefing_item_add(
        meeting=ahead, kind="ask", text="<script>alert(1)</script>**more**", actor=admin
    )
    services.briefing_send(meeting=ahead, actor=admin)
    client.force_login(personas[Role.CORE])
    page = client.get(reverse("representation:meeting", args=[group.slug, ahead.pk])).content.decode()
    assert "<strong>more</strong>" in page and "<script>alert" not in page
    assert Briefing.objects.get().read_at is not None
    past = make_meeting(-1)
    url = reverse("representation:report", args=[group.slug, past.pk])
    body = {
        "attended": "on",
        "discussed": "<img src=x onerror=alert(1)> **Winter**",
        "positions_held": "held",
    }
    assert client.post(url, body).status_code == 302
    shown = client.get(reverse("representation:meeting", args=[group.slug, past.pk])).content.decode()
    assert "<strong>Winter</strong>" in shown and "<img" not in shown  # shown as text, inert
    again = client.post(url, body)
    assert "already been filed" in again.content.decode() and ReportBack.objects.count() == 1


def test_a_member_without_a_seat_is_told_who_files(client, group, make_meeting, personas):
    client.force_login(personas[Role.ATTENDEE])
    page = client.get(
        reverse("representation:report", args=[group.slug, make_meeting(-1).pk])
    ).content.decode()
    assert "Only the officers and the representatives" in page


def test_an_overlong_or_nul_report_is_refused_with_a_message(
    client, group, appoint, people, personas, make_meeting, unchanged
):
    appoint(people[Role.CORE])
    client.force_login(personas[Role.CORE])
    url = reverse("representation:report", args=[group.slug, make_meeting(-1).pk])
    with unchanged():
        long = client.post(url, {"discussed": "x" * 20_001, "positions_held": "held"})
        nul = client.post(url, {"discussed": "a\x00b", "positions_held": "held"})
    assert "20,000 characters or fewer" in long.content.decode()
    assert nul.status_code == 200


def test_positions_are_recorded_filtered_and_updated(officer, group):
    url = reverse("representation:position_new", args=[group.slug])
    body = {
        "topic": "Estates",
        "statement": "No new buildings without revenue.",
        "basis_kind": "other",
        "basis_label": "Group meeting, March",
        "agreed_on": _day(today() - timedelta(days=10)),
        "review_on": _day(today() + timedelta(days=300)),
    }
    assert officer.post(url, body).status_code == 302
    listing = reverse("representation:positions", args=[group.slug])
    assert "No new buildings" in officer.get(listing + "?status=current").content.decode()
    assert "No new buildings" not in officer.get(listing + "?status=withdrawn").content.decode()
    from gpvoice.representation.models import Position

    position = Position.objects.get()
    page = reverse("representation:position", args=[group.slug, position.pk])
    officer.post(page, {"status": "withdrawn", "review_on": _day(position.review_on)})
    position.refresh_from_db()
    assert position.status == "withdrawn" and not position.published


def test_coverage_page_and_csv_neutralise_formulas(officer, group, admin, icb):
    forum = services.forum_create(
        group=group, name="=HYPERLINK(1)", organiser=icb, cadence="monthly", actor=admin
    )
    services.seat_add(forum=forum, title="@seat", actor=admin)
    page = officer.get(reverse("representation:coverage", args=[group.slug]))
    assert page.status_code == 200 and "Seats without a representative" in page.content.decode()
    csv = b"".join(
        officer.get(reverse("representation:coverage_csv", args=[group.slug])).streaming_content
    ).decode()
    assert "'=HYPERLINK(1)" in csv and "'@seat" in csv


def test_the_public_page_names_a_representative_only_with_consent(group, appoint, people):
    from gpvoice.core import glance

    appoint(people[Role.CORE], name_public=False)
    section = {s.key: s for s in glance.public(group)}["representatives"]
    assert section.table.rows == [["ICB board", "GP member", "Not named"]]
    SeatAppointment.objects.update(name_public=True)
    section = {s.key: s for s in glance.public(group)}["representatives"]
    assert section.table.rows[0][2] == people[Role.CORE].full_name


def test_the_dashboard_and_annual_report_sections(group, appoint, people, personas, make_meeting):
    from gpvoice.core import glance

    appoint(people[Role.CORE])
    services.report_back_file(
        meeting=make_meeting(-5),
        attended=True,
        discussed="x",
        positions_held="held",
        actor=personas[Role.CORE],
    )
    make_meeting(-30)
    tile = {s.key: s for s in glance.dashboard(group)}["representation"]
    assert dict(tile.summary)["Report-backs overdue"] == "1"
    start = today() - timedelta(days=365)
    year = {s.key: s for s in glance.annual_report(group, start, today() + timedelta(days=1))}[
        "representation"
    ]
    assert dict(year.summary) == {
        "System meetings held": "2",
        "Attended": "1",
        "Briefed beforehand": "0",
        "Reported back": "1",
    }


def test_changing_a_forums_days_moves_the_due_dates_of_meetings_ahead_only(
    officer, group, forum, make_meeting
):
    ahead, past = make_meeting(20), make_meeting(-20)
    url = reverse("representation:forum_edit", args=[group.slug, forum.pk])
    body = {
        "name": "ICB board",
        "organiser": "QZZ",
        "cadence": "quarterly",
        "briefing_days": "3",
        "report_days": "5",
    }
    assert officer.post(url, body).status_code == 302
    ahead.refresh_from_db()
    past.refresh_from_db()
    assert ahead.briefing_due_on == ahead.on - timedelta(
        days=3
    ) and ahead.report_due_on == ahead.on + timedelta(days=5)
    assert past.report_due_on == past.on + timedelta(days=10)


def test_items_added_after_the_briefing_went_are_pointed_out(
    officer, group, appoint, people, make_meeting, admin
):
    appoint(people[Role.CORE])
    ahead = make_meeting(3)
    services.briefing_send(meeting=ahead, actor=admin)
    services.briefing_item_add(meeting=ahead, kind="raise", text="Late item", actor=admin)
    page = officer.get(reverse("representation:meeting", args=[group.slug, ahead.pk])).content.decode()
    assert "1 item added since" in page
    officer.post(reverse("representation:meeting", args=[group.slug, ahead.pk]), {"do": "send"})
    assert "Late item" in Briefing.objects.get().text


def test_the_group_home_links_the_latest_report_back(client, group, appoint, people, personas, make_meeting):
    appoint(people[Role.CORE])
    past = make_meeting(-2)
    services.report_back_file(
        meeting=past, attended=True, discussed="x", positions_held="none", actor=personas[Role.CORE]
    )
    client.force_login(personas[Role.OBSERVER])
    page = client.get(reverse("core:group_home", args=[group.slug])).content.decode()
    assert "Latest report-back: ICB board" in page
    assert reverse("representation:meeting", args=[group.slug, past.pk]) in page


@pytest.mark.parametrize("do", ["", "up", "vacate", "\x00"])
def test_an_unknown_action_on_the_forum_page_is_refused_with_a_message(officer, group, forum, unchanged, do):
    with unchanged():
        response = officer.post(reverse("representation:forum", args=[group.slug, forum.pk]), {"do": do})
    assert response.status_code == 200 and "Choose what to do" in response.content.decode()


def test_the_positions_csv_follows_the_filter_and_neutralises_formulas(client, group, admin, personas):
    for topic, status in (("=SUM(1)", "current"), ("Gone", "withdrawn")):
        p = services.position_create(
            group=group,
            topic=topic,
            statement="+x",
            basis_kind="other",
            basis_label="Minute",
            agreed_on=today() - timedelta(days=1),
            review_on=today() + timedelta(days=10),
            actor=admin,
        )
        services.position_update(
            position=p, status=status, published=False, review_on=p.review_on, actor=admin
        )
    client.force_login(personas[Role.OBSERVER])
    url = reverse("representation:positions_csv", args=[group.slug])
    csv = b"".join(client.get(url + "?status=current").streaming_content).decode()
    assert "'=SUM(1)" in csv and "'+x" in csv and "Gone" not in csv


def test_the_seat_page_shows_earlier_holders(officer, group, seat, appoint, people, admin):
    services.seat_vacate(appointment=appoint(people[Role.EXECUTIVE]), actor=admin)
    page = officer.get(reverse("representation:seat", args=[group.slug, seat.pk])).content.decode()
    assert "Earlier holders" in page and "Dr Executive member" in page
