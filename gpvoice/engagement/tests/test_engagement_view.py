"""The engagement view: the signals each app registers, the kept figures, thin engagement, glance."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from gpvoice.core import engagement, glance
from gpvoice.engagement import figures, services
from gpvoice.engagement.models import BulletinDelivery, PcnEngagement, PracticeEngagement
from gpvoice.engagement.reads import note_read

from .conftest import relationship_answers

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
START, END = figures.year_bounds(YEAR)


@pytest.mark.parametrize(
    ("took", "asked", "thin"),
    [
        (1, 3, False),
        (2, 6, False),
        (1, 4, True),
        (0, 1, True),
        (0, 0, False),
        (3, 3, False),
        (332, 1000, True),
    ],
)
def test_thin_means_under_a_third_of_the_times_asked(took, asked, thin):
    assert figures.is_thin(took, asked) is thin


def test_every_app_registers_its_signal():
    keys = {s.key for s in engagement.signals()}
    assert {
        "governance.ratified",
        "ballots.voted",
        "meetings.attended",
        "engagement.responded",
        "engagement.read",
    } <= keys


def _ids(practices):
    return [p.pk for p in practices]


def test_ratified_counts_the_current_answer_to_the_latest_round(group, practices, signatories, personas):
    from gpvoice.directory.models import Person
    from gpvoice.governance.models import MandateAnswer, MandateRound, TermsOfReference

    terms = TermsOfReference.objects.create(group=group, version=1, title="ToR", body="x")
    rnd = MandateRound.objects.create(
        group=group,
        terms=terms,
        number=1,
        closes_at=timezone.now() + timedelta(days=5),
        expires_on=date(2030, 1, 1),
    )
    person = Person.objects.get(user=signatories[0])
    MandateAnswer.objects.create(
        round=rnd, practice=practices[0], answer="agree", answered_by=person, created_by=signatories[0]
    )
    MandateAnswer.objects.create(
        round=rnd, practice=practices[1], answer="decline", answered_by=person, created_by=signatories[0]
    )
    got = engagement.counts(group, _ids(practices), START, END)["governance.ratified"]
    assert got == {practices[0].pk: (1, 1), practices[1].pk: (0, 1), practices[2].pk: (0, 1)}


def test_voted_counts_secret_ballots_by_participation_only(group, practices, signatories):
    from gpvoice.ballots.models import Ballot, Elector, Participation, Vote

    now = timezone.now()
    open_ballot = Ballot.objects.create(group=group, title="Open", question="?", status="open", opened_at=now)
    secret = Ballot.objects.create(
        group=group, title="Secret", question="?", status="open", opened_at=now, is_secret=True
    )
    for ballot in (open_ballot, secret):
        for p in practices[:2]:
            Elector.objects.create(ballot=ballot, practice=p, label=p.name, weight=1)
    Vote.objects.create(
        ballot=open_ballot,
        elector=open_ballot.electors.get(practice=practices[0]),
        content={},
        cast_by=signatories[0],
    )
    Participation.objects.create(
        ballot=secret, elector=secret.electors.get(practice=practices[1]), cast_by=signatories[2]
    )
    got = engagement.counts(group, _ids(practices), START, END)["ballots.voted"]
    assert got == {practices[0].pk: (1, 2), practices[1].pk: (1, 2)}


def test_attended_counts_invitations_to_held_meetings_for_the_persons_practices(
    group, practices, signatories
):
    from gpvoice.directory.models import Person
    from gpvoice.meetings.models import Invitation, Meeting

    start = timezone.now() - timedelta(days=1)
    meeting = Meeting.objects.create(
        group=group, title="M", starts_at=start, ends_at=start + timedelta(hours=1), status="held"
    )
    Invitation.objects.create(
        meeting=meeting, person=Person.objects.get(user=signatories[0]), status="core", attended=True
    )
    Invitation.objects.create(meeting=meeting, person=Person.objects.get(user=signatories[2]), status="core")
    got = engagement.counts(group, _ids(practices), START, END)["meetings.attended"]
    assert got == {practices[0].pk: (1, 1), practices[1].pk: (0, 1)}


def test_responded_and_read(group, admin, practices, signatories, make_consultation):
    c = make_consultation()
    services.response_submit(
        consultation=c, practice=practices[0], answers=relationship_answers(c, "allies"), actor=signatories[0]
    )
    b = services.bulletin_create(
        group=group, title="T", body="B", category="news", audience="signatories", actor=admin
    )
    services.bulletin_send(bulletin=b, actor=admin)
    note_read(bulletin=b, user=signatories[2])
    got = engagement.counts(group, _ids(practices), START, END)
    assert got["engagement.responded"] == {
        practices[0].pk: (1, 1),
        practices[1].pk: (0, 1),
        practices[2].pk: (0, 1),
    }
    assert got["engagement.read"] == {
        practices[0].pk: (0, 2),
        practices[1].pk: (1, 1),
        practices[2].pk: (0, 1),
    }
    assert BulletinDelivery.objects.count() == 4


@pytest.fixture
def counted(group, admin, practices, signatories, make_consultation):
    c = make_consultation()
    services.response_submit(
        consultation=c, practice=practices[0], answers=relationship_answers(c, "allies"), actor=signatories[0]
    )
    figures.refresh(group, YEAR)
    return c


def test_refresh_keeps_one_row_per_practice_and_per_pcn(group, counted, practices, area):
    assert PracticeEngagement.objects.filter(group=group, year=YEAR).count() == 3
    pcn = PcnEngagement.objects.get(group=group, year=YEAR)
    assert pcn.pcn == area["pcn"] and pcn.practices == 3 and pcn.figures["engagement.responded"] == [1, 3]
    figures.refresh(group, YEAR)  # again: replaced, not added
    assert PracticeEngagement.objects.filter(group=group, year=YEAR).count() == 3


def test_the_view_lists_thin_practices_with_a_csv(client, group, admin, strong_login, counted, practices):
    strong_login(client, admin)
    page = client.get(f"/g/{group.slug}/engagement/?view=thin").content.decode()
    assert practices[1].name in page and practices[0].name not in page
    response = client.get(f"/g/{group.slug}/engagement/thin.csv?year={YEAR}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r[0] for r in rows[1:]} == {practices[1].name, practices[2].name}
    assert "Test PCN" in client.get(f"/g/{group.slug}/engagement/?view=pcns").content.decode()


def test_an_officer_recounts_from_the_page(client, group, admin, strong_login, practices):
    strong_login(client, admin)
    assert client.post(f"/g/{group.slug}/engagement/", {"do": "other"}).status_code == 302
    assert not PracticeEngagement.objects.filter(group=group).exists()
    assert client.post(f"/g/{group.slug}/engagement/", {"do": "recount"}).status_code == 302
    assert PracticeEngagement.objects.filter(group=group).count() == 3


def test_glance_sections(group, counted, practices):
    dashboard = next(s for s in glance.dashboard(group) if s.key == "engagement")
    assert isinstance(dashboard.chart, glance.Heatmap) and dashboard.chart.rows[0][0] == "Test PCN"
    record = next(s for s in glance.practice_record(group, practices[0]) if s.key == "consultations")
    assert record.table and record.table.rows[0][0] == counted.title
    assert not [s for s in glance.practice_record(group, practices[1]) if s.key == "consultations"]
    report = next(s for s in glance.annual_report(group, START, END) if s.key == "engagement")
    assert ("Consultations run", "1") in report.summary
