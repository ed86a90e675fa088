"""The dashboard, a practice's record and the annual report: what each shows, and to whom."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gpvoice.core.models import Role

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_coverage_with_accessible_charts(client, group, personas, mandate, strong_login):
    strong_login(client, personas[Role.EXECUTIVE])
    response = client.get(f"/g/{group.slug}/dashboard/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mandate coverage" in text and "2 of 3 agreed" in text
    assert "Mandate coverage by PCN" in text and "Test PCN" in text
    assert 'role="img"' in text and "<title id=" in text and "<desc id=" in text
    assert "The figures in this chart" in text  # the data table beside each chart
    assert "Requests against the service level" in text and "Overdue actions" in text
    assert "Upcoming meetings" in text and "Recent decisions" in text and "Open ballots" in text


@pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_the_dashboard_is_for_officers_only(client, group, personas, role):
    client.force_login(personas[role])
    assert client.get(f"/g/{group.slug}/dashboard/").status_code == 404


def test_a_signatory_reads_their_practices_record_and_exports_it(client, group, area, mandate, signatories):
    client.force_login(signatories[0])
    practice = area["practices"][0]
    page = client.get(f"/g/{group.slug}/practice-record/")
    assert page.status_code == 200 and practice.name.encode() in page.content  # their one practice
    assert b"Mandate answers" in page.content and b"Agree" in page.content
    export = client.get(f"/g/{group.slug}/practice-record/csv/?practice={practice.ods_code}")
    body = b"".join(export.streaming_content).decode()
    assert export["Content-Type"].startswith("text/csv") and "Mandate answers" in body and "Agree" in body


def test_a_signatory_cannot_read_another_practices_record(client, group, area, mandate, signatories):
    client.force_login(signatories[0])
    other = area["practices"][1]
    assert client.get(f"/g/{group.slug}/practice-record/?practice={other.ods_code}").status_code == 404
    assert client.get(f"/g/{group.slug}/practice-record/csv/?practice={other.ods_code}").status_code == 404


def test_an_officer_reads_any_footprint_practice_but_not_another_groups(
    client, group, area, mandate, personas, strong_login, other_group
):
    from gpvoice.directory.tests.factories import OrganisationFactory

    strong_login(client, personas[Role.ADMIN])
    mine = area["practices"][2]
    assert b"Decline" in client.get(f"/g/{group.slug}/practice-record/?practice={mine.ods_code}").content
    elsewhere = OrganisationFactory(ods_code="Z81111", name="Elsewhere")
    assert client.get(f"/g/{group.slug}/practice-record/?practice={elsewhere.ods_code}").status_code == 404


@pytest.mark.parametrize("code", ["x" * 50, "Z9\x000", "<b>", "%27"])
def test_hostile_practice_codes_are_a_404(client, group, personas, strong_login, code):
    strong_login(client, personas[Role.ADMIN])
    assert client.get(f"/g/{group.slug}/practice-record/", {"practice": code}).status_code == 404


def test_the_annual_report_shows_the_years_coverage_and_prints(client, group, personas, mandate):
    client.force_login(personas[Role.CORE])
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    page = client.get(f"/g/{group.slug}/annual-report/")
    assert page.status_code == 200
    assert f"Annual report {year}/{str(year + 1)[-2:]}".encode() in page.content
    assert b"Mandate coverage over time" in page.content and b"66.7%" in page.content
    pdf = client.get(f"/g/{group.slug}/annual-report/pdf/?year={year}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("year", ["1999", "abc", "99999999999999999999", "2026\x00"])
def test_a_strange_year_is_the_current_year(client, group, personas, year):
    client.force_login(personas[Role.CORE])
    assert client.get(f"/g/{group.slug}/annual-report/", {"year": year}).status_code == 200


def test_an_officer_sending_the_look_up_empty_is_told_what_to_enter(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    response = client.get(f"/g/{group.slug}/practice-record/", {"practice": " "})
    assert response.status_code == 200
    assert b"There is a problem" in response.content and b"Enter the ODS code" in response.content


def test_last_years_report_links_to_the_year_after(client, group, personas):
    client.force_login(personas[Role.CORE])
    today = timezone.localdate()
    year = (today.year if today.month >= 4 else today.year - 1) - 1
    page = client.get(f"/g/{group.slug}/annual-report/", {"year": str(year)}).content.decode()
    assert f"?year={year + 1}" in page and f"?year={year - 1}" in page
    current = client.get(f"/g/{group.slug}/annual-report/").content.decode()
    assert f"?year={year + 2}" not in current
