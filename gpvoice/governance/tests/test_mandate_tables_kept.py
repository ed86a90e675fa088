"""The mandate page's group-wide tables (coverage by PCN, practices not yet answered) are kept in
the cache under the round, the page numbers, the group's audit sequence and the minute
(``governance.mandate_tables``): an answer shows at once, a change the group's chain does not
record within the minute, and page numbers from the request are made valid before they name
anything kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from gpvoice.core.models import Role
from gpvoice.directory.models import Organisation
from gpvoice.governance import mandate_tables

NOW = datetime(2026, 11, 10, 9, 15, 20, tzinfo=UTC)


def _page(client, group, query: str = "") -> str:
    response = client.get(f"/g/{group.slug}/mandate/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_an_answer_shows_at_once_and_an_unaudited_rename_within_the_minute(
    client, group, personas, area, signatories, open_round
):
    first, second, third = area["practices"]
    client.force_login(signatories[0])
    with time_machine.travel(NOW, tick=False) as clock:
        page = _page(client, group)
        assert f"{first.name} ({first.ods_code}), Test PCN" in page
        assert "3 practices not yet answered" in page

        # The directory renamed quietly (no entry in the group's chain): kept for the minute...
        Organisation.objects.filter(pk=second.pk).update(name="Renamed Surgery")
        assert "Renamed Surgery" not in _page(client, group)
        clock.shift(timedelta(seconds=39))  # 09:15:59
        assert "Renamed Surgery" not in _page(client, group)
        clock.shift(timedelta(seconds=1))  # 09:16:00: worked out again
        assert f"Renamed Surgery ({second.ods_code}), Test PCN" in _page(client, group)

        # ...an answer, audited, shows at once.
        response = client.post(f"/g/{group.slug}/mandate/", {"practice": first.ods_code, "answer": "agree"})
        assert response.status_code == 302
        page = _page(client, group)
        assert f"{first.name} ({first.ods_code})" not in page.split('id="not-answered"')[1]
        assert "2 practices not yet answered" in page
        assert third.name in page


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["", "1", "0", "-3", "999", "abc", "1" * 40, "2%00", "<b>"])
def test_page_numbers_from_the_request_are_made_valid_before_naming_what_is_kept(
    client, group, personas, area, open_round, asked
):
    client.force_login(personas[Role.CORE])
    cache.clear()
    page = _page(client, group, f"?pcns={asked}&waiting={asked}")
    assert "Test PCN" in page and "3 practices not yet answered" in page
    shown = mandate_tables.tables(
        group=group, round=open_round, pcn_page=asked, waiting_page=asked, not_answered=3
    )
    assert (shown.pcns.number, shown.waiting.number) == (1, 1)  # one page of each
    kept_names = [k for k in cache._cache if ":mandate-tables:" in k]
    assert kept_names and all(
        k.split(":mandate-tables:")[1].split(":")[1:3] == ["1", "1"] for k in kept_names
    )
