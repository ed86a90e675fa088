"""CSV exports of the roll, the mandate answers and the decisions: the page's rows, hostile cells
neutralised, read in chunks (a constant number of queries whatever the length)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gpvoice.core.exports import csv_safe
from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import PersonFactory
from gpvoice.governance import services
from gpvoice.governance.models import Answer, Authority, RollEntry

HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


def _read(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_safe_neutralises_each_formula_start_and_leaves_the_rest():
    assert [csv_safe(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert [csv_safe(v) for v in ("Plain", "", None, 12, "a=b")] == ["Plain", "", "", "12", "a=b"]


@pytest.mark.django_db
def test_the_roll_exports_with_hostile_names_neutralised(client, group, personas):
    for name in HOSTILE:
        RollEntry.objects.create(group=group, person=PersonFactory(full_name=name), status="attendee")
    client.force_login(personas[Role.CORE])
    rows = _read(client.get(f"/g/{group.slug}/roll/csv/"))
    assert rows[0][:2] == ["name", "status"]
    assert sorted(r[0] for r in rows[1:]) == sorted("'" + n for n in HOSTILE)


@pytest.mark.django_db
def test_the_roll_export_reads_in_constant_queries(client, group, personas):
    def queries(n: int) -> int:
        for _ in range(n):
            RollEntry.objects.create(group=group, person=PersonFactory(), status="attendee")
        client.force_login(personas[Role.CORE])
        with CaptureQueriesContext(connection) as seen:
            _read(client.get(f"/g/{group.slug}/roll/csv/"))
        return len(seen)

    assert queries(3) == queries(30)


@pytest.mark.django_db
def test_the_mandate_answers_export_lists_every_practice(
    client, group, personas, open_round, signatories, area
):
    practice = area["practices"][0]
    services.mandate_answer(round=open_round, practice=practice, answer=Answer.AGREE, user=signatories[0])
    client.force_login(personas[Role.CORE])
    rows = _read(client.get(f"/g/{group.slug}/mandate/csv/"))
    by_code = {r[1]: r for r in rows[1:]}
    assert len(by_code) == 3
    assert (
        by_code[practice.ods_code][4] == "Agree"
        and by_code[area["practices"][1].ods_code][4] == "No answer yet"
    )


@pytest.mark.django_db
def test_the_mandate_export_without_a_round_is_just_the_header(client, group, personas):
    client.force_login(personas[Role.CORE])
    assert len(_read(client.get(f"/g/{group.slug}/mandate/csv/"))) == 1


@pytest.mark.django_db
def test_the_decisions_export_is_for_every_member_and_neutralises_cells(client, group, personas, outsider):
    category = services.category_create(
        group=group, actor=None, name="Spend", authority=Authority.EXECUTIVE, review_date="2030-01-01"
    )
    services.executive_decision_record(
        category=category,
        title="=cmd|' /C calc'!A0",
        rationale="@risk",
        amount=Decimal(5),
        actor=personas[Role.EXECUTIVE],
    )
    client.force_login(outsider)
    assert client.get(f"/g/{group.slug}/decisions/csv/").status_code == 404
    # The decisions page is every member's (the feedback loop, issue 12), so is its export.
    client.force_login(personas[Role.OBSERVER])
    rows = _read(client.get(f"/g/{group.slug}/decisions/csv/"))
    assert rows[1][2] == "'=cmd|' /C calc'!A0" and rows[1][3] == "'@risk" and rows[1][4] == "5.00"


@pytest.mark.django_db
def test_another_groups_lists_are_not_exported(client, group, other_group, outsider, personas):
    RollEntry.objects.create(
        group=other_group, person=PersonFactory(full_name="Southmere Person"), status="core"
    )
    client.force_login(personas[Role.CORE])
    body = b"".join(client.get(f"/g/{group.slug}/roll/csv/").streaming_content).decode()
    assert "Southmere Person" not in body
    assert client.get(f"/g/{other_group.slug}/roll/csv/").status_code == 404
