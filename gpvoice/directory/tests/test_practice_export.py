"""The practice list as CSV: the page's filters, hostile names neutralised, constant queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import OrganisationFactory, make_area


def _rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_the_export_follows_the_pages_filters_and_neutralises_names(client, group, personas):
    area = make_area(practices=2, footprint_of=group)
    OrganisationFactory(ods_code="Z91000", name="=Outside Surgery")  # not in the footprint
    hostile = area["practices"][0]
    hostile.name = "@Home Surgery"
    hostile.save()
    client.force_login(personas[Role.CORE])
    rows = _rows(client.get(f"/g/{group.slug}/directory/practices/csv/"))
    assert rows[0][:2] == ["ODS code", "name"]
    assert {r[1] for r in rows[1:]} == {"'@Home Surgery", area["practices"][1].name}
    one = _rows(client.get(f"/g/{group.slug}/directory/practices/csv/", {"q": area["practices"][1].ods_code}))
    assert [r[0] for r in one[1:]] == [area["practices"][1].ods_code]
    england = _rows(client.get(f"/g/{group.slug}/directory/practices/csv/", {"scope": "england"}))
    assert "'=Outside Surgery" in {r[1] for r in england[1:]}


@pytest.mark.django_db
def test_the_export_reads_in_constant_queries(client, group, personas):
    area = make_area(practices=2, footprint_of=group)
    client.force_login(personas[Role.CORE])

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            _rows(client.get(f"/g/{group.slug}/directory/practices/csv/"))
        return len(seen)

    few = queries()
    for i in range(40):
        OrganisationFactory(ods_code=f"Z92{i:03d}", pcn=area["pcn"])
    assert queries() == few
