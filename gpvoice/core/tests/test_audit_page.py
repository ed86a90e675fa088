"""The audit log page: readable lines naming the object, filters, pages of constant cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.audit_log import PAGE_SIZE
from gpvoice.core.models import AuditEntry, Membership, Role


def _page(client, group, query=""):
    response = client.get(f"/g/{group.slug}/audit/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_lines_name_the_object_and_read_as_sentences(client, group, personas, strong_login):
    admin = personas[Role.ADMIN]
    membership = Membership.objects.get(group=group, user=personas[Role.CORE])
    audit.record(
        action="core.membership.role_changed",
        actor=admin,
        group=group,
        obj=membership,
        data={"email": "core@northvale.test", "role": "attendee"},
    )
    strong_login(client, admin)
    html = _page(client, group)
    assert "Membership role changed" in html and "<code>core.membership.role_changed</code>" in html
    assert "Membership: core@northvale.test" in html and "role: attendee" in html
    assert f'href="mailto:{admin.email}"' in html


@pytest.mark.django_db
def test_filters_by_action_person_and_date(client, group, personas, strong_login):
    admin, executive = personas[Role.ADMIN], personas[Role.EXECUTIVE]
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=10), tick=False):
        audit.record(action="ballots.ballot.opened", actor=admin, group=group, data={"title": "Old ballot"})
    audit.record(action="ballots.ballot.closed", actor=executive, group=group, data={"title": "New ballot"})
    audit.record(action="governance.roll.added", actor=admin, group=group, data={"person": "Dr Rolled"})
    strong_login(client, admin)

    by_action = _page(client, group, "?action=ballots")
    assert "Old ballot" in by_action and "New ballot" in by_action and "Dr Rolled" not in by_action
    by_person = _page(client, group, f"?person={executive.email.upper()}")
    assert "New ballot" in by_person and "Old ballot" not in by_person
    day = (now - timedelta(days=10)).astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y")
    by_date = _page(client, group, f"?since={day}&until={day}")
    assert "Old ballot" in by_date and "New ballot" not in by_date


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?since=31/2/2026", "Enter the first day as day/month/year"),
        ("?since=2/1/2026&until=1/1/2026", "The last day must be the same as or after the first day"),
        ("?action=" + "x" * 101, "at most 100 characters"),
    ],
)
def test_bad_filters_name_the_field(client, group, personas, strong_login, query, message):
    strong_login(client, personas[Role.ADMIN])
    html = _page(client, group, query)
    assert "nhsuk-error-summary" in html and message in html and "<title>Error:" in html


def _link(html: str, key: str) -> str:
    return key + "=" + html.split(f"{key}=")[1].split('"')[0]


@pytest.mark.django_db
def test_pages_walk_the_whole_log_newest_first_with_constant_queries(client, group, personas, strong_login):
    admin = personas[Role.ADMIN]
    total = PAGE_SIZE * 2 + 5
    for i in range(total):
        audit.record(action="test.step", actor=admin, group=group, data={"name": f"step {i:03d}"})
    strong_login(client, admin)
    pages, counts, query = [], [], "?action=test"
    while True:
        with CaptureQueriesContext(connection) as queries:
            html = _page(client, group, query)
        counts.append(len(queries))
        pages.append([i for i in range(total) if f"step {i:03d}<" in html])
        if "Older entries" not in html:
            break
        query = "?action=test&" + _link(html, "before")
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 5]
    assert pages[0][-1] == total - 1 and pages[-1][0] == 0  # newest first, down to the first entry
    assert sorted(sum(pages, [])) == list(range(total))
    assert len(set(counts)) == 1, f"queries per page: {counts}"

    back = _page(client, group, "?action=test&" + _link(html, "after"))
    assert [i for i in range(total) if f"step {i:03d}<" in back] == pages[1]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "²", "-1", "9" * 40, "1\x00"])
def test_hostile_page_keys_show_the_first_page(client, group, personas, strong_login, value):
    strong_login(client, personas[Role.ADMIN])
    assert _page(client, group, f"?before={value}")


@pytest.mark.django_db
def test_another_groups_entries_never_show(client, group, other_group, personas, strong_login):
    audit.record(action="test.theirs", group=other_group, data={"name": "Southern secret"})
    strong_login(client, personas[Role.ADMIN])
    assert "Southern secret" not in _page(client, group)
    assert AuditEntry.objects.filter(group=other_group).exists()
