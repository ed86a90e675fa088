"""Each glance page's sections cost the same number of queries on a bigger group (the size walk in
tests/test_size_independence.py does the same on the demo at national scale, page by page)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gpvoice.core import glance
from gpvoice.core.models import Role
from gpvoice.governance.models import Authority, DecisionCategory, DecisionStatus, ExecutiveDecision
from gpvoice.meetings.models import Action, AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def _costs(group, practice) -> dict[str, int]:
    today = timezone.localdate()
    start = date(today.year - 1, 4, 1)
    calls = {
        "dashboard": lambda: glance.dashboard(group),
        "public": lambda: glance.public(group),
        "record": lambda: glance.practice_record(group, practice),
        "report": lambda: glance.annual_report(group, start, date(today.year + 1, 4, 1)),
    }
    costs = {}
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as seen:
            call()
        costs[name] = len(seen)
    return costs


def _grow(group, admin, person, n: int) -> None:
    category = DecisionCategory.objects.create(
        group=group, name=f"Cat {n}", authority=Authority.EXECUTIVE, review_date=date(2030, 1, 1)
    )
    ExecutiveDecision.objects.bulk_create(
        ExecutiveDecision(
            group=group,
            category=category,
            title=f"D{i}",
            rationale="r",
            status=DecisionStatus.TAKEN,
            decided_by=admin,
        )
        for i in range(n)
    )
    now = timezone.now()
    meetings = Meeting.objects.bulk_create(
        Meeting(
            group=group,
            title=f"M{i}",
            starts_at=now + timedelta(days=i + 1),
            ends_at=now + timedelta(days=i + 1, hours=1),
        )
        for i in range(n)
    )
    item = AgendaItem.objects.create(meeting=meetings[0], title="Item")
    Action.objects.bulk_create(
        Action(group=group, item=item, description=f"A{i}", owner=person, due_on=date(2020, 1, 1))
        for i in range(n)
    )


def test_the_sections_cost_the_same_on_a_bigger_group(group, personas, area, mandate, signatories):
    from gpvoice.directory.models import Person

    admin = personas[Role.ADMIN]
    person = Person.objects.create(full_name="Owner")
    practice = area["practices"][0]
    _grow(group, admin, person, 3)
    small = _costs(group, practice)
    _grow(group, admin, person, 40)
    assert _costs(group, practice) == small
