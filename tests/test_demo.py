import re

import pytest
import time_machine
from django.core.management import call_command

from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.directory.models import Appointment, Organisation, OrgType, Person, RoleType
from gpvoice.directory.selectors import footprint_practices


@pytest.mark.django_db
def test_demo_has_two_groups_every_role_and_a_real_format_area(capsys):
    call_command("load-demo")
    out = capsys.readouterr().out
    assert "Demo workspace ready: 2 groups" in out and "TOTP secret" in out
    groups = list(LeadershipGroup.objects.all())
    assert len(groups) == 2
    for group in groups:
        assert set(Membership.objects.filter(group=group).values_list("role", flat=True)) == set(Role)
        assert footprint_practices(group=group).count() == 20
    assert 140 <= Person.objects.count() <= 170
    assert Organisation.objects.filter(org_type=OrgType.PRACTICE, list_size__isnull=False).count() == 40
    roles = set(Appointment.objects.values_list("role", flat=True))
    assert {RoleType.PCN_CLINICAL_DIRECTOR, RoleType.LMC_CHAIR, RoleType.FEDERATION_LEAD} <= roles
    assert Appointment.objects.filter(role=RoleType.SYSTEM_CLINICAL_LEAD).count() >= 2
    assert Appointment.objects.filter(is_signatory=True).count() >= 40


@pytest.mark.django_db
def test_demo_can_be_loaded_twice():
    call_command("load-demo")
    counts = (Person.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("load-demo")
    assert (Person.objects.count(), Organisation.objects.count(), Membership.objects.count()) == counts


@pytest.mark.django_db
def test_demo_governance_is_part_ratified_with_an_attending_system_lead():
    from gpvoice.governance.models import ExecutiveDecision, RollEntry
    from gpvoice.governance.selectors import mandate_status

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        status = mandate_status(group=group)
        assert 0 < status.coverage.overall.practices["none"] < status.coverage.overall.total_practices
        lead = RollEntry.objects.get(group=group, person__appointments__role=RoleType.SYSTEM_CLINICAL_LEAD)
        assert lead.status == "attendee" and "conflicted" in lead.basis
        statuses = list(ExecutiveDecision.objects.filter(group=group).values_list("status", flat=True))
        assert statuses.count("taken") >= 2 and statuses.count("referred") == 1


@pytest.mark.django_db
def test_demo_ballots_have_every_method_one_open_one_secret_and_recount_exactly(capsys):
    from gpvoice.ballots.models import Ballot, Kind, Method, Status

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        ballots = list(Ballot.objects.filter(group=group, kind=Kind.BALLOT))
        assert set(Method) <= {b.method for b in ballots}
        assert [b.status for b in ballots].count(Status.OPEN) >= 1
        assert any(b.is_secret and b.status == Status.PUBLISHED for b in ballots)
        assert Ballot.objects.filter(group=group, kind=Kind.RECORDED).exists()
        for ballot in ballots:
            if ballot.status == Status.PUBLISHED:
                call_command("tally", str(ballot.pk))
                assert "Recount matches the stored result." in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_gives_each_group_a_working_api_token_and_a_revoked_one(client, capsys):

    from gpvoice.api.models import ApiToken

    call_command("load-demo")
    out = capsys.readouterr().out
    tokens = dict(re.findall(r"API token for (\w+) .*Bearer (gpv_\S+)'", out))
    assert set(tokens) == {"northvale", "southmere"}
    response = client.get(
        "/api/v1/groups/northvale/mandate", HTTP_AUTHORIZATION=f"Bearer {tokens['northvale']}"
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 2
    call_command("load-demo")
    assert ApiToken.objects.count() == 4  # topping up makes no more


@pytest.mark.django_db
def test_demo_meetings_a_year_with_the_next_agenda_drafted():
    from gpvoice.meetings.models import AgendaItem, ItemInterest, Meeting, MeetingDecision, MeetingStatus

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        meetings = Meeting.objects.filter(group=group)
        assert meetings.filter(status=MeetingStatus.HELD).count() >= 10
        assert meetings.filter(status=MeetingStatus.CANCELLED).count() == 1
        assert MeetingDecision.objects.filter(item__meeting__group=group, quorate=False).exists()
        decisions = MeetingDecision.objects.filter(item__meeting__group=group)
        assert decisions.filter(hands_for__isnull=False).exists()
        assert decisions.filter(ballot__group=group).exists()
        assert ItemInterest.objects.filter(item__meeting__group=group, withdrew=True).exists()
        nxt = meetings.get(status=MeetingStatus.PLANNED)
        sources = set(AgendaItem.objects.filter(meeting=nxt).values_list("source", flat=True))
        assert {"governance.decision", "meetings.action"} <= sources


@pytest.mark.django_db
def test_printed_officer_password_and_authenticator_sign_in_on_a_fresh_demo(client, capsys):
    """The demo as printed: the password and TOTP secret from load-demo's output open officer pages."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from gpvoice.accounts.models import User

    call_command("load-demo")
    out = capsys.readouterr().out
    password = re.search(r"^  password (\S+)$", out, re.MULTILINE).group(1)  # type: ignore[union-attr]
    secret = re.search(r"TOTP secret (\S+)", out).group(1)  # type: ignore[union-attr]
    email = "admin@northvale.example.nhs.uk"
    assert email in out
    assert not User.objects.get(email="core@northvale.example.nhs.uk").has_usable_password()

    step = client.post("/accounts/login/", {"login": email, "password": password})
    assert step.status_code == 302 and step["Location"] == "/accounts/2fa/authenticate/", "printed password"
    with time_machine.travel(time.time(), tick=False):  # the code's window cannot pass mid-request
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/g/northvale/audit/").status_code == 200  # an officer page: strong sign-in done


@pytest.mark.django_db
def test_printed_links_use_the_address_the_demo_serves(capsys, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("load-demo")
    out = capsys.readouterr().out
    links = re.findall(r"https?://\S+", out)
    assert links and all(link.startswith("http://127.0.0.1:8123/") for link in links)


@pytest.mark.django_db
def test_demo_member_keeps_their_own_declarations_one_due(client):
    from gpvoice.accounts.models import User

    call_command("load-demo")
    client.force_login(User.objects.get(email="member.both@example.nhs.uk"))
    html = client.get("/account/").content.decode()
    assert "Director, Northvale Health Ltd" in html and html.count("Renewal due") == 1


@pytest.mark.django_db
def test_demo_shows_officers_correcting_what_they_set():
    from gpvoice.accounts.models import Invitation
    from gpvoice.ballots.models import Ballot, Status
    from gpvoice.core.models import AuditEntry
    from gpvoice.governance.models import CategoryChange

    call_command("load-demo")
    call_command("load-demo")  # twice: nothing is corrected again
    for group in LeadershipGroup.objects.all():
        cancelled = Ballot.objects.get(group=group, status=Status.CANCELLED)
        assert cancelled.cancel_reason and cancelled.result is None
        assert AuditEntry.objects.filter(group=group, action="ballots.ballot.extended").count() == 1
        kinds = set(CategoryChange.objects.filter(category__group=group).values_list("kind", flat=True))
        assert kinds == {"created", "changed", "reviewed"}
        invitations = Invitation.objects.filter(group=group, accepted_at__isnull=True)
        assert invitations.filter(revoked_at__isnull=True).count() == 1
        assert invitations.filter(revoked_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_demo_engagement_bulletins_a_divided_pcn_an_open_outlook_and_quiet_practices():
    from gpvoice.engagement import spread
    from gpvoice.engagement.models import AnswerCount, Bulletin, Consultation, PracticeEngagement

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        assert Bulletin.objects.filter(group=group, status="sent").count() == 12
        check = Consultation.objects.get(group=group, template="relationship")
        assert check.status == "closed" and check.published_at is not None
        stance = check.questions.get(key="stance")
        by_pcn: dict = {}
        for pcn_id, value, n in AnswerCount.objects.filter(question=stance).values_list(
            "pcn_id", "value", "count"
        ):
            by_pcn.setdefault(pcn_id, {})[value] = n
        assert sum(spread.is_divided(c) for c in by_pcn.values()) == 1
        assert Consultation.objects.get(group=group, template="sustainability").status == "open"
        quiet = PracticeEngagement.objects.filter(group=group, asked__gt=0, share__lt=1 / 3)
        assert 1 <= quiet.count() <= 6


@pytest.mark.django_db
def test_demo_sounding_board_a_plan_with_its_review_returned(client):
    from gpvoice.soundingboard.models import Review, Status, Submission

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        returned = Submission.objects.get(group=group, status=Status.RETURNED)
        assert returned.documents.count() == 1
        assert Review.objects.filter(assignment__submission=returned).exists()
        assert Submission.objects.filter(group=group, status=Status.IN_REVIEW).exists()
    group = LeadershipGroup.objects.order_by("pk").first()
    returned = Submission.objects.get(group=group, status=Status.RETURNED)
    client.force_login(group.memberships.get(user__email__startswith="practice.staff@").user)
    page = client.get(f"/g/{group.slug}/sounding-board/{returned.pk}/").content.decode()
    assert "Who staffs a Saturday" in page and "Mark the reviews as read" in page


@pytest.mark.django_db
def test_demo_sessions_a_think_tank_with_a_waiting_list_and_a_full_retirement_session():
    from gpvoice.events.models import Booking, Kind, Session

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        think = Session.objects.get(group=group, kind=Kind.THINK_TANK)
        assert think.booked == think.capacity
        assert Booking.objects.filter(session=think, status="waiting").count() == 3
        retire = Session.objects.get(group=group, kind=Kind.RETIREMENT)
        assert retire.booked == retire.capacity == 4
        held = Session.objects.get(group=group, kind=Kind.LEADERS)
        assert Booking.objects.filter(session=held, attended=True).exists()


@pytest.mark.django_db
def test_demo_first_group_publishes_its_public_page_naming_those_who_agreed(client):
    call_command("load-demo")
    first, second = LeadershipGroup.objects.order_by("pk")[:2]
    page = client.get(f"/p/{first.slug}/")
    assert page.status_code == 200 and b"Acting with mandate" in page.content
    assert Membership.objects.filter(group=first, named_publicly_at__isnull=False).exists()
    named = Membership.objects.filter(group=first, named_publicly_at__isnull=False).first()
    assert named.user.full_name.encode() in client.get(f"/p/{first.slug}/members/").content
    assert client.get(f"/p/{second.slug}/").status_code == 404


@pytest.mark.django_db
def test_demo_representation_a_forum_map_with_one_gap_and_one_overdue_report_back():
    from gpvoice.core.models import Role
    from gpvoice.meetings.models import AgendaItem, MeetingStatus
    from gpvoice.representation import selectors
    from gpvoice.representation.models import Briefing, Forum, ReportBack

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        forums = Forum.objects.filter(group=group)
        assert {f.organiser.org_type for f in forums} == {"icb", "place"}
        counts = selectors.coverage_counts(group=group)
        assert (counts["no_representative"], counts["no_deputy"], counts["overdue_reports"]) == (0, 1, 1)
        assert ReportBack.objects.filter(meeting__forum__group=group).count() >= 20
        briefed = Briefing.objects.filter(meeting__forum__group=group)
        assert briefed.filter(text__contains="Same-day urgent care").exists()  # positions used in briefings
        core = group.memberships.get(role=Role.CORE, user__email__startswith="core@").user
        assert selectors.briefings_to_read(user=core, group=group).exists()
        nxt = group.meetings.get(status=MeetingStatus.PLANNED)
        assert AgendaItem.objects.filter(meeting=nxt, source="representation.report").exists()
