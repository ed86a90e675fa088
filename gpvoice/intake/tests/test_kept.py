"""The kept monthly service-level figures (intake.kept): moved by the services, equal to a recount,
rebuilt and checked by ``gpvoice recount``; the page reads them and one page of open requests."""

from __future__ import annotations

import importlib
import io
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from gpvoice.core.models import Role
from gpvoice.intake import kept, services, workdays
from gpvoice.intake.models import AccessRequest, MonthlyServiceLevel
from gpvoice.intake.servicelevels import median_days
from gpvoice.intake.tests.factories import received_request
from gpvoice.operations.derived import derived_differences, rebuild_derived

from .conftest import at, category, receive

MARCH, APRIL = date(2027, 3, 1), date(2027, 4, 1)  # 1 March 2027 is a Monday


def _month(group, month: date) -> MonthlyServiceLevel:
    return MonthlyServiceLevel.objects.get(group=group, month=month)


@pytest.fixture
def officer_client(client, officer, strong_login):
    """A client that signs the officer in when first used (inside the test's travel in time)."""

    class SignsIn:
        def get(self, url: str):
            if "_auth_user_id" not in client.session:
                strong_login(client, officer)
            return client.get(url)

    return SignsIn()


@pytest.fixture
def many(settings):
    settings.INTAKE_RATE_PER_EMAIL_PER_HOUR = settings.INTAKE_RATE_PER_IP_PER_HOUR = 1000


def test_the_figures_follow_every_write_and_equal_a_recount(group, officer, many):
    """A sequence of writes through the services, worked by hand; after each the kept figures
    equal a recount of the requests."""

    def agrees() -> None:
        assert kept.differences(group) == []

    with at(MARCH):
        general = category(group, officer, days=2)
        (a, a_link), (b, _), (c, c_link) = receive(group), receive(group), receive(group)
        agrees()
        for r in (a, b, c):
            services.request_triage(request=r, actor=officer, category=general, priority="normal", lead=None)
        agrees()  # due Wednesday 3 March
    with at(date(2027, 3, 2)):
        services.request_write(request=a, actor=officer, body="Looking at it.")  # first response: 1
        services.request_write(request=c, actor=officer, body="Which PCNs?", wait=True)  # 1, waits
        agrees()
    with at(date(2027, 3, 3)):
        services.request_answer(request=a, actor=officer, body="Yes.")  # on the due day: in time
        agrees()
        assert (_month(group, MARCH).answered, _month(group, MARCH).answered_in_time) == (1, 1)
    with at(date(2027, 3, 4)):
        services.request_answer(request=b, actor=officer, body="No.")  # a day late; first response: 3
        services.requester_reply(token=a_link, body="But what about…")  # reopened: unanswered again
        services.requester_reply(token=c_link, body="All of them.")  # waited Tue..Thu: due Fri 5th
        agrees()
        assert (_month(group, MARCH).answered, _month(group, MARCH).answered_in_time) == (1, 0)
    with at(date(2027, 3, 5)):
        services.request_answer(request=a, actor=officer, body="Still yes.")  # 4 days, late now
        services.request_answer(request=c, actor=officer, body="Done.")  # 4 days, on its due day
        services.request_close(request=b, actor=officer)
        agrees()
    with at(APRIL):  # a Thursday
        d, _ = receive(group)
    with at(date(2027, 4, 2)):
        services.request_decline(request=d, actor=officer, reason="Not ours.")  # first response: 1
        agrees()

    march, april = _month(group, MARCH), _month(group, APRIL)
    assert (march.received, march.first_responded, march.answered, march.answered_in_time) == (3, 3, 3, 1)
    assert median_days(march.first_response_days) == 1  # 1, 1, 3
    assert median_days(march.answer_days) == 4  # 3, 4, 4
    assert (april.received, april.first_responded, april.answered, april.answered_in_time) == (1, 1, 0, 0)
    assert median_days(april.answer_days) is None


def test_a_refused_write_moves_no_figures(group, officer, unchanged, many):
    request, _ = receive(group)
    services.request_answer(request=request, actor=officer, body="Yes.")
    with unchanged(), pytest.raises(services.IntakeError):
        services.request_answer(request=request, actor=officer, body="Again.")


def test_an_unconfirmed_request_counts_nowhere(group):
    from .conftest import submit

    submit(group)
    assert not MonthlyServiceLevel.objects.exists() and kept.differences(group) == []


def test_recount_rebuilds_and_checks_the_figures(group, officer, many):
    with at(MARCH):
        receive(group)
    row = _month(group, MARCH)
    row.received = 7
    row.save()
    assert derived_differences(group) == [
        f"service levels of group {group.pk} for 2027-03: kept {kept._tally(row)}, "
        f"recounted {kept.recount(group)[(group.pk, MARCH)]}"
    ]
    with pytest.raises(CommandError, match="difference"):
        call_command("recount", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("recount", stdout=out)
    assert "1 month(s) of service levels" in out.getvalue()
    assert _month(group, MARCH).received == 1 and derived_differences() == []
    assert rebuild_derived(group).service_months == 1


def test_the_migration_fills_the_figures_of_existing_requests(group):
    with at(MARCH):
        received_request(group)
        received_request(group)
    assert not MonthlyServiceLevel.objects.exists()  # made in the database, past the services
    migration = importlib.import_module("gpvoice.intake.migrations.0003_monthly_service_levels")
    migration.fill(apps, None)
    assert _month(group, MARCH).received == 2 and kept.differences(group) == []


# The page -----------------------------------------------------------------------------------------


def _page(client, group, query: str = "") -> str:
    response = client.get(reverse("intake:service_levels", args=[group.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_breached_and_at_risk_counts_at_their_boundaries(officer_client, group, settings):
    settings.INTAKE_WARN_WORKING_DAYS = 2
    today = MARCH  # Monday: at risk while due on or before Wednesday (two working days on)
    for due in (
        today - timedelta(days=1),  # breached
        today,  # at risk (due today)
        date(2027, 3, 3),  # at risk: two working days away
        date(2027, 3, 4),  # on track: three
        None,  # no due date
    ):
        received_request(group, due_on=due)
    with at(today):
        page = _page(officer_client, group)
    assert "5 open</li>" in page
    assert "1 past their due date" in page
    assert "2 at risk: due within 2 working days" in page
    assert workdays.add_working_days(today, 3) == date(2027, 3, 4)


def test_open_requests_are_paged_soonest_due_first(officer_client, group):
    for n in range(55):
        made = received_request(group, due_on=MARCH + timedelta(days=54 - n))
        AccessRequest.objects.filter(pk=made.pk).update(subject=f"Request {54 - n:02d}")
    AccessRequest.objects.filter(pk=received_request(group).pk).update(subject="Undated")
    with at(MARCH):
        first = _page(officer_client, group)
        last = _page(officer_client, group, "?page=2")
    assert "56 open requests, soonest due first, 1 to 50 shown" in first
    assert first.index("Request 00") < first.index("Request 01") < first.index("Request 49")
    assert "Request 50" not in first and "Undated" not in first
    assert "56 open requests, soonest due first, 51 to 56 shown" in last
    assert last.index("Request 54") < last.index("Undated")
    assert 'href="?page=2#open"' in first


def test_the_page_reads_the_kept_figures_of_the_last_twelve_months(officer_client, group, officer, many):
    with at(date(2026, 3, 31)):
        receive(group)  # thirteen months before April 2027: not shown
    with at(date(2026, 5, 5)):
        old, _ = receive(group)
        services.request_answer(request=old, actor=officer, body="Yes.")
    with at(APRIL):
        page = _page(officer_client, group)
        csv = b"".join(
            officer_client.get(
                reverse("intake:service_levels", args=[group.slug]) + "?format=csv"
            ).streaming_content
        ).decode()
    assert "2026-03" not in page and "2026-05" in page and "0 working days" in page
    assert csv.splitlines()[1] == "2026-05,1,1,1,0,0"


def test_members_who_are_not_officers_still_see_nothing(client, group):
    from conftest import make_member

    client.force_login(make_member(group, Role.CORE, "core@northvale.test"))
    assert client.get(reverse("intake:service_levels", args=[group.slug])).status_code == 404
