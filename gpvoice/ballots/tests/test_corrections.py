"""Officers correcting a ballot: cancelling it, extending its close, and an opening time already past."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from gpvoice.ballots import services
from gpvoice.ballots.models import Ballot, Status, Vote
from gpvoice.core.models import AuditEntry
from gpvoice.core.tests.threads import run_together
from gpvoice.jobs.models import OutgoingEmail

from .conftest import close_by_the_clock, option_ids


def _yes(ballot: Ballot) -> dict[str, str]:
    return {"choice": option_ids(ballot)[0]}


# Cancelling ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancelling_an_open_ballot_counts_nothing_and_refuses_casts_with_the_reason(
    make_ballot, admin, signatories
):
    ballot = make_ballot()
    services.ballot_cast(ballot=ballot, user=signatories[0], content=_yes(ballot))
    cancelled = services.ballot_cancel(ballot=ballot, reason="The ICB withdrew the offer.", actor=admin)
    assert cancelled.status == Status.CANCELLED and cancelled.result is None
    assert cancelled.cancel_reason == "The ICB withdrew the offer." and cancelled.cancelled_by == admin
    with pytest.raises(services.BallotError, match="cancelled.*The ICB withdrew the offer"):
        services.ballot_cast(ballot=ballot, user=signatories[1], content=_yes(ballot))
    # The clock never counts it afterwards, even past the closing time.
    after = close_by_the_clock(cancelled)
    assert after.status == Status.CANCELLED and after.result is None and after.closed_at is None
    assert AuditEntry.objects.filter(action="ballots.ballot.cancelled", object_id=str(ballot.pk)).count() == 1


@pytest.mark.django_db
def test_a_scheduled_ballot_can_be_cancelled_and_never_opens(make_ballot, admin):
    ballot = make_ballot(open_now=False)
    services.ballot_cancel(ballot=ballot, reason="Duplicate of another ballot.", actor=admin)
    with time_machine.travel(ballot.opens_at + timedelta(minutes=1)):
        assert services.advance_due() == []
    ballot.refresh_from_db()
    assert ballot.status == Status.CANCELLED and not ballot.electors.exists()


@pytest.mark.django_db
def test_a_secret_ballots_seals_are_emptied_when_it_is_cancelled(make_ballot, admin, signatories):
    ballot = make_ballot(is_secret=True)
    services.ballot_cast(ballot=ballot, user=signatories[0], content=_yes(ballot))
    services.ballot_cancel(ballot=ballot, reason="Wrong question.", actor=admin)
    assert list(ballot.sealed_choices.values_list("seal", flat=True)) == [None]


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "bad\x00byte", "x" * 1001, None, 7])
def test_a_cancel_without_a_fit_reason_is_refused(make_ballot, admin, unchanged, reason):
    ballot = make_ballot()
    with unchanged(), pytest.raises(services.BallotError, match="reason|cancelled"):
        services.ballot_cancel(ballot=ballot, reason=reason, actor=admin)


@pytest.mark.django_db
def test_a_closed_published_or_cancelled_ballot_cannot_be_cancelled(make_ballot, admin, unchanged):
    published = close_by_the_clock(make_ballot(title="Published"))
    cancelled = services.ballot_cancel(ballot=make_ballot(title="Gone"), reason="Gone", actor=admin)
    draft = services.ballot_create(
        group=published.group,
        draft=services.Draft(title="Draft", question="Q?", method="yes_no", electorate="practices"),
        actor=admin,
    )
    for ballot in (published, cancelled, draft):
        with unchanged(), pytest.raises(services.BallotError, match="Only a scheduled or open ballot"):
            services.ballot_cancel(ballot=ballot, reason="Try", actor=admin)


@pytest.mark.django_db
def test_a_ballot_past_its_closing_time_is_counted_not_cancelled(make_ballot, admin, unchanged):
    """Boundary: at the closing instant the ballot belongs to the clock; one second before, to the officer."""
    ballot = make_ballot()
    with time_machine.travel(ballot.closes_at, tick=False):
        with pytest.raises(services.BallotError, match="counted, not cancelled"):
            services.ballot_cancel(ballot=Ballot.objects.get(pk=ballot.pk), reason="Late", actor=admin)
    with time_machine.travel(ballot.closes_at - timedelta(seconds=1), tick=False):
        assert services.ballot_cancel(ballot=ballot, reason="Just in time", actor=admin).status == "cancelled"


# Extending ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_extending_an_open_ballot_moves_the_close_and_tells_every_elector(make_ballot, admin, signatories):
    ballot = make_ballot()
    services.ballot_cast(ballot=ballot, user=signatories[0], content=_yes(ballot))
    later = ballot.closes_at + timedelta(days=3)
    extended, told = services.ballot_extend(ballot=ballot, closes_at=later, actor=admin)
    assert extended.closes_at == later and extended.status == Status.OPEN
    # Every signatory is told, the one who voted too (a vote can change until the close).
    assert told == 4
    mail = OutgoingEmail.objects.filter(key__startswith=f"ballot-extended:{ballot.pk}:")
    assert sorted(a for m in mail for a in m.to) == [f"sig{i}@nhs.test" for i in range(4)]
    assert "more time to vote" in mail[0].subject and "now closes on" in mail[0].body
    # A vote cast after the old closing time and before the new one counts.
    with time_machine.travel(ballot.closes_at + timedelta(hours=1)):
        services.ballot_cast(ballot=extended, user=signatories[1], content=_yes(ballot))
    assert Vote.objects.filter(ballot=ballot, is_current=True).count() == 2


@pytest.mark.django_db
def test_extending_a_scheduled_ballot_emails_nobody(make_ballot, admin):
    ballot = make_ballot(open_now=False)
    _, told = services.ballot_extend(
        ballot=ballot, closes_at=ballot.closes_at + timedelta(days=1), actor=admin
    )
    assert told == 0 and not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_an_extension_must_be_later_and_within_a_year(make_ballot, admin, unchanged):
    ballot = make_ballot()
    naive = (ballot.closes_at + timedelta(days=1)).replace(tzinfo=None)
    cases = [
        (ballot.closes_at, "later than the current one"),  # the same time is not later
        (ballot.closes_at - timedelta(minutes=1), "later than the current one"),
        (ballot.closes_at + timedelta(days=366, seconds=1), "at most a year"),
        (naive, "Enter the new closing"),
        ("tomorrow", "Enter the new closing"),
    ]
    for closes_at, message in cases:
        with unchanged(), pytest.raises(services.BallotError, match=message):
            services.ballot_extend(ballot=ballot, closes_at=closes_at, actor=admin)
    # Exactly 366 days later is allowed: the limit is "at most".
    later = ballot.closes_at + timedelta(days=366)
    assert services.ballot_extend(ballot=ballot, closes_at=later, actor=admin)[0].closes_at == later


@pytest.mark.django_db
def test_a_closed_ballot_cannot_be_extended(make_ballot, admin, unchanged):
    ballot = close_by_the_clock(make_ballot())
    with unchanged(), pytest.raises(services.BallotError, match="Only a scheduled or open ballot"):
        services.ballot_extend(ballot=ballot, closes_at=ballot.closes_at + timedelta(days=1), actor=admin)


# An opening time already past ----------------------------------------------------------------


@pytest.mark.django_db
def test_scheduling_with_an_opening_time_past_opens_now_never_scheduled(group, admin, area):
    now = timezone.now()
    draft = services.Draft(
        title="Late",
        question="Q?",
        method="yes_no",
        electorate="practices",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=5),
    )
    ballot = services.ballot_create(group=group, draft=draft, actor=admin)
    with time_machine.travel(now, tick=False):
        ballot = services.ballot_schedule(ballot=ballot, actor=admin)
    assert ballot.status == Status.OPEN and ballot.opens_at == now and ballot.opened_at == now
    assert ballot.electors.count() == 4
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))[-2:]
    assert actions == ["ballots.ballot.scheduled", "ballots.ballot.opened"]


@pytest.mark.django_db
def test_an_opening_time_in_the_future_stays_scheduled(make_ballot):
    assert make_ballot(open_now=False).status == Status.SCHEDULED


# Races (PostgreSQL) -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancel_close_and_cast_racing_leave_one_consistent_outcome(make_ballot, admin, signatories):
    for _ in range(5):
        ballot = make_ballot(closes_at=timezone.now() + timedelta(seconds=2))
        late = ballot.closes_at + timedelta(milliseconds=1)
        errors = run_together(
            [
                lambda b=ballot: services.ballot_cancel(ballot=b, reason="Race", actor=admin),
                lambda b=ballot, at=late: services.advance(ballot=b, now=at),
                lambda b=ballot: services.ballot_cast(ballot=b, user=signatories[0], content=_yes(b)),
            ],
            refusals=(services.BallotError,),
        )
        assert errors == []
        ballot.refresh_from_db()
        cancelled, closed = ballot.status == Status.CANCELLED, ballot.status == Status.PUBLISHED
        assert cancelled != closed  # exactly one of them won
        if cancelled:
            assert ballot.result is None and ballot.closed_at is None
        else:
            counted = ballot.result["turnout"]["count"]
            assert counted == Vote.objects.filter(ballot=ballot, is_current=True).count()
        assert (
            AuditEntry.objects.filter(
                object_id=str(ballot.pk), action__in=["ballots.ballot.cancelled", "ballots.ballot.closed"]
            ).count()
            == 1
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_cancelling_at_once_cancel_once(make_ballot, admin):
    ballot = make_ballot()
    errors = run_together(
        [
            lambda: services.ballot_cancel(ballot=ballot, reason="First", actor=admin),
            lambda: services.ballot_cancel(ballot=ballot, reason="Second", actor=admin),
        ]
    )
    assert len(errors) == 1 and isinstance(errors[0], services.BallotError)
    assert AuditEntry.objects.filter(action="ballots.ballot.cancelled").count() == 1


# Pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_cancels_from_a_confirm_page_and_voters_see_the_reason(
    client, group, admin, strong_login, make_ballot, signatories
):
    ballot = make_ballot()
    strong_login(client, admin)
    detail = f"/g/{group.slug}/ballots/{ballot.pk}/"
    assert f"/ballots/{ballot.pk}/cancel/" in client.get(detail).content.decode()
    page = client.get(f"{detail}cancel/").content.decode()
    assert "Cancelling cannot be undone" in page and 'name="reason"' in page
    response = client.post(f"{detail}cancel/", {"reason": "The ICB withdrew the offer."})
    assert response.status_code == 302 and response["Location"] == detail
    client.force_login(signatories[0])
    shown = client.get(detail).content.decode()
    assert "This ballot was cancelled" in shown and "The ICB withdrew the offer." in shown
    assert ">Vote<" not in shown


@pytest.mark.django_db
def test_an_empty_reason_is_named_on_the_page_and_changes_nothing(
    client, group, admin, strong_login, make_ballot, unchanged
):
    ballot = make_ballot()
    strong_login(client, admin)
    with unchanged():
        page = client.post(f"/g/{group.slug}/ballots/{ballot.pk}/cancel/", {"reason": "  "}).content.decode()
    assert "There is a problem" in page and "#id_reason" in page


@pytest.mark.django_db
def test_an_officer_extends_from_the_page(client, group, admin, strong_login, make_ballot, signatories):
    ballot = make_ballot()
    strong_login(client, admin)
    later = timezone.localtime(ballot.closes_at + timedelta(days=2))
    response = client.post(
        f"/g/{group.slug}/ballots/{ballot.pk}/extend/",
        {"closes_on": later.strftime("%d/%m/%Y"), "closes_time": later.strftime("%H:%M")},
    )
    assert response.status_code == 302
    ballot.refresh_from_db()
    assert ballot.closes_at == later.replace(second=0, microsecond=0)
    assert OutgoingEmail.objects.filter(key__startswith=f"ballot-extended:{ballot.pk}:").count() == 4


@pytest.mark.django_db
def test_an_earlier_closing_time_is_named_on_the_page_and_changes_nothing(
    client, group, admin, strong_login, make_ballot, unchanged
):
    ballot = make_ballot()
    strong_login(client, admin)
    earlier = timezone.localtime(ballot.closes_at - timedelta(days=1))
    with unchanged():
        page = client.post(
            f"/g/{group.slug}/ballots/{ballot.pk}/extend/",
            {"closes_on": earlier.strftime("%d/%m/%Y"), "closes_time": "10:00"},
        ).content.decode()
    assert "later than the current one" in page and "#id_closes_on" in page


@pytest.mark.django_db
def test_a_draft_whose_opening_time_has_passed_offers_open_now(client, group, admin, strong_login, area):
    now = timezone.now()
    draft = services.Draft(
        title="Late",
        question="Q?",
        method="yes_no",
        electorate="practices",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=5),
    )
    ballot = services.ballot_create(group=group, draft=draft, actor=admin)
    strong_login(client, admin)
    page = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/").content.decode()
    assert "Open this ballot now" in page and "Schedule this ballot" not in page
    client.post(f"/g/{group.slug}/ballots/{ballot.pk}/", {"action": "schedule"})
    ballot.refresh_from_db()
    assert ballot.status == Status.OPEN


@pytest.mark.django_db
def test_the_result_prints_and_downloads_with_hostile_labels_neutralised(
    client, group, admin, strong_login, make_ballot, signatories
):
    ballot = make_ballot(method="single", options=["=HYPERLINK(1)", "+Plan", "-Minus", "@Home"])
    services.ballot_cast(ballot=ballot, user=signatories[0], content=_yes(ballot))
    ballot = close_by_the_clock(ballot)
    client.force_login(signatories[1])
    printable = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/print/").content.decode()
    assert "Outcome:" in printable and "gpv-no-print" in printable
    response = client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/csv/")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    for hostile in ("=HYPERLINK(1)", "+Plan", "-Minus", "@Home"):
        assert f"\n{hostile}" not in body and f",{hostile}" not in body
        assert f"'{hostile}" in body


@pytest.mark.django_db
def test_a_result_not_yet_visible_is_neither_printed_nor_downloaded(client, group, make_ballot, signatories):
    ballot = make_ballot()
    client.force_login(signatories[0])
    for page in ("print", "csv"):
        assert client.get(f"/g/{group.slug}/ballots/{ballot.pk}/result/{page}/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_extend_racing_the_clocks_close_either_extends_an_open_ballot_or_finds_it_closed(make_ballot, admin):
    for _ in range(5):
        ballot = make_ballot(closes_at=timezone.now() + timedelta(seconds=2))
        old, new = ballot.closes_at, ballot.closes_at + timedelta(days=1)
        errors = run_together(
            [
                lambda b=ballot, at=new: services.ballot_extend(ballot=b, closes_at=at, actor=admin),
                lambda b=ballot, at=old + timedelta(milliseconds=1): services.advance(ballot=b, now=at),
            ],
            refusals=(services.BallotError,),
        )
        assert errors == []
        ballot.refresh_from_db()
        if ballot.status == Status.OPEN:  # the extension won: the clock found nothing due
            assert ballot.closes_at == new and ballot.result is None
        else:  # the clock won: counted at the old time, and the extension was refused
            assert ballot.status == Status.PUBLISHED and ballot.closes_at == old
            assert not AuditEntry.objects.filter(
                action="ballots.ballot.extended", object_id=str(ballot.pk)
            ).exists()
