"""Notices people expect, and no more: each event announced once, to the right people, through the
outbox; reminders only to practices that have not answered, at the reminder time and not before;
optional ones not to those who turned them off; nothing about another group."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from conftest import make_member, make_signatory
from gpvoice.ballots import services as ballots
from gpvoice.ballots.models import Ballot
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import FootprintEntry
from gpvoice.directory.tests.factories import OrganisationFactory, make_area
from gpvoice.governance import services as governance
from gpvoice.jobs import schedule
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.notifications.models import Notice, Preferences
from gpvoice.notifications.services import notices_send
from gpvoice.priorities import services as priorities

SITE = "https://gpvoice.example.nhs.uk"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_site")]


@pytest.fixture
def _site():
    with override_settings(SITE_URL=SITE, SERVICE_NAME="GP Voice", NOTIFY_REMINDER_HOURS=48):
        yield


@pytest.fixture
def area(group):
    return make_area(practices=3, footprint_of=group)


@pytest.fixture
def signatories(group, area):
    return [make_signatory(group, p, f"sig{i}@nhs.test") for i, p in enumerate(area["practices"])]


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


def _ballot(group, admin, *, closes_in=timedelta(days=7), title="Extended access") -> Ballot:
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


def _to(subject_part: str = "") -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if subject_part in m.subject)


def test_a_ballot_opening_is_emailed_once_to_each_signatory_with_a_link_to_vote(group, admin, signatories):
    ballot = _ballot(group, admin)
    notices_send()
    notices_send()  # a rerun sends nothing more
    assert _to("a ballot is open") == ["sig0@nhs.test", "sig1@nhs.test", "sig2@nhs.test"]
    message = mail.outbox[0]
    assert message.subject == "Northvale Leadership Group: a ballot is open — Extended access"
    assert f"{SITE}/g/northvale/ballots/{ballot.pk}/vote/" in message.body
    assert "GP Voice" in message.body and "Northvale Leadership Group" in message.body
    assert "because you act for a practice" in message.body
    assert Notice.objects.filter(kind="ballot-opened", subject_id=ballot.pk).get().recipients == 3
    assert AuditEntry.objects.filter(action="notifications.ballot-opened.sent").count() == 1


def test_the_notices_go_through_the_scheduled_job_and_the_outbox(group, admin, signatories):
    _ballot(group, admin)
    assert "notifications" in schedule.enqueue_due()
    assert len(_to("a ballot is open")) == 3
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {"sent"}


def test_the_opening_notice_goes_even_to_those_who_turned_optional_emails_off(group, admin, signatories):
    Preferences.objects.create(user=signatories[0], reminders=False, results=False, nominations=False)
    _ballot(group, admin)
    notices_send()
    assert "sig0@nhs.test" in _to("a ballot is open")


def test_nothing_goes_to_another_groups_people(group, other_group, admin, signatories):
    elsewhere = OrganisationFactory(ods_code="Z77777")
    FootprintEntry.objects.create(group=other_group, organisation=elsewhere)
    make_signatory(other_group, elsewhere, "southmere-sig@nhs.test")
    make_member(other_group, Role.CORE, "southmere-core@nhs.test")
    _ballot(group, admin)
    priorities.round_create(group=group, title="Priorities 2027", actor=admin)
    notices_send()
    assert mail.outbox
    assert not [m for m in mail.outbox if m.to[0].startswith("southmere")]


def test_a_run_for_some_groups_leaves_the_others_events_for_the_job(group, other_group, admin, signatories):
    """As the demo runs it: its own groups' events only, the rest still due for the scheduled job."""
    ballot = _ballot(group, admin)
    notices_send(groups=[other_group])
    assert not mail.outbox and not Notice.objects.exists()
    notices_send(groups=[group])
    assert len(_to("a ballot is open")) == 3
    assert Notice.objects.get().subject_id == ballot.pk


def _remind_at(ballot: Ballot, hours_before: float) -> None:
    with time_machine.travel(ballot.closes_at - timedelta(hours=hours_before), tick=False):
        notices_send()


def test_the_reminder_goes_at_the_reminder_time_and_not_a_second_before(group, admin, signatories):
    ballot = _ballot(group, admin)
    notices_send()  # the opening notices
    mail.outbox.clear()
    _remind_at(ballot, 48 + 1 / 3600)  # one second before the 48 hours
    assert _to("please vote") == []
    _remind_at(ballot, 48)  # exactly 48 hours before closing
    assert _to("please vote") == ["sig0@nhs.test", "sig1@nhs.test", "sig2@nhs.test"]
    _remind_at(ballot, 47)  # later runs: at most once per practice, ballot and signatory
    assert len(_to("please vote")) == 3


def test_no_reminder_for_a_practice_that_has_voted(group, admin, signatories, area):
    ballot = _ballot(group, admin)
    yes = str(ballot.options.get(position=1).pk)
    ballots.ballot_cast(ballot=ballot, user=signatories[1], content={"choice": yes})
    _remind_at(ballot, 24)
    assert _to("please vote") == ["sig0@nhs.test", "sig2@nhs.test"]
    body = next(m.body for m in mail.outbox if m.to == ["sig0@nhs.test"] and "please vote" in m.subject)
    assert f"for {area['practices'][0].name}" in body
    assert f"{SITE}/g/northvale/ballots/{ballot.pk}/vote/" in body
    assert f"{SITE}/account/notifications/" in body  # how to turn it off


def test_a_reminder_is_not_sent_to_someone_who_turned_reminders_off(group, admin, signatories):
    Preferences.objects.create(user=signatories[2], reminders=False)
    ballot = _ballot(group, admin)
    _remind_at(ballot, 1)
    assert _to("please vote") == ["sig0@nhs.test", "sig1@nhs.test"]


def test_a_ballot_open_for_less_than_the_reminder_period_gets_no_reminder(group, admin, signatories):
    _ballot(group, admin, closes_in=timedelta(hours=47))
    notices_send()
    assert len(_to("a ballot is open")) == 3
    assert _to("please vote") == []


def test_a_published_result_is_emailed_except_to_those_who_opted_out(group, admin, signatories):
    Preferences.objects.create(user=signatories[0], results=False)
    ballot = _ballot(group, admin, closes_in=timedelta(hours=1))
    with time_machine.travel(ballot.closes_at + timedelta(seconds=1), tick=False):
        ballots.advance(ballot=ballot)
        notices_send()
        notices_send()
    assert _to("result published") == ["sig1@nhs.test", "sig2@nhs.test"]
    assert f"{SITE}/g/northvale/ballots/{ballot.pk}/result/" in mail.outbox[-1].body


def _round(group, admin, closes_in=timedelta(days=14)):
    terms = governance.terms_create(group=group, title="Terms of reference", body="# Purpose", actor=admin)
    terms = governance.terms_issue(terms=terms, actor=admin)
    return governance.mandate_open(
        terms=terms,
        closes_at=timezone.now() + closes_in,
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )


def test_a_ratification_opening_and_its_reminder(group, admin, signatories, area):
    round = _round(group, admin)
    notices_send()
    assert _to("please ratify") == ["sig0@nhs.test", "sig1@nhs.test", "sig2@nhs.test"]
    assert f"{SITE}/g/northvale/mandate/" in mail.outbox[0].body
    governance.mandate_answer(round=round, practice=area["practices"][0], answer="agree", user=signatories[0])
    with time_machine.travel(round.closes_at - timedelta(hours=48), tick=False):
        notices_send()
        notices_send()
    assert _to("ratification closes") == ["sig1@nhs.test", "sig2@nhs.test"]


def test_nominations_opening_goes_to_members_who_want_it(group, admin, personas):
    Preferences.objects.create(user=personas[Role.OBSERVER], nominations=False)
    round = priorities.round_create(group=group, title="Priorities 2027", actor=admin)
    notices_send()
    notices_send()
    told = _to("nominations are open")
    assert personas[Role.CORE].email in told and personas[Role.ADMIN].email in told
    assert personas[Role.OBSERVER].email not in told
    assert len(told) == len(personas) - 1
    assert f"{SITE}/g/northvale/priorities/{round.pk}/" in mail.outbox[0].body


def test_old_events_are_not_announced(group, admin, signatories):
    ballot = _ballot(group, admin, closes_in=timedelta(days=30))
    with time_machine.travel(ballot.opened_at + timedelta(days=3), tick=False):
        notices_send()
    assert _to("a ballot is open") == []


def test_officer_set_reminders_replace_the_automatic_one_and_respect_the_setting(group, admin, signatories):
    from gpvoice.ballots.models import Reminder
    from gpvoice.ballots.reminders import reminders_due

    Preferences.objects.create(user=signatories[0], reminders=False)
    ballot = _ballot(group, admin)
    Reminder.objects.create(ballot=ballot, send_at=ballot.closes_at - timedelta(hours=24))
    _remind_at(ballot, 24)  # the automatic reminder: not for a ballot with its own reminder times
    assert _to("please vote") == []
    with time_machine.travel(ballot.closes_at - timedelta(hours=24), tick=False):
        reminders_due()
    assert _to("please vote") == ["sig1@nhs.test", "sig2@nhs.test"]
