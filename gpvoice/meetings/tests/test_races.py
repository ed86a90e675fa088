"""Officers racing on one meeting: threads released together, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from gpvoice.core.models import Role
from gpvoice.core.tests.threads import run_together
from gpvoice.meetings import services
from gpvoice.meetings.models import AgendaItem, ItemMinutes


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_the_same_version_save_once(held, admin, personas):
    """Both opened version 0: one save lands, the other is refused as stale, nothing is overwritten."""
    meeting = held()
    item = services.agenda_item_add(meeting=meeting, title="Budget", actor=admin)
    editors = [admin, personas[Role.EXECUTIVE]] * 2
    calls = [
        (lambda who=who, n=n: services.minutes_save(item=item, text=f"Draft {n}", version=0, actor=who))
        for n, who in enumerate(editors)
    ]
    refused = run_together(calls, refusals=(services.MeetingError,))
    assert refused == []
    minutes = ItemMinutes.objects.get(item=item)
    assert minutes.version == 1 and minutes.text.startswith("Draft ")


@pytest.mark.django_db(transaction=True)
def test_drafting_at_once_adds_each_source_record_once(make_meeting, admin, personas, decision):
    meeting = make_meeting()
    calls = [
        (lambda who=who: services.agenda_draft(meeting=meeting, actor=who))
        for who in [admin, personas[Role.EXECUTIVE]] * 2
    ]
    assert run_together(calls, refusals=(services.MeetingError,)) == []
    assert AgendaItem.objects.filter(meeting=meeting, source="governance.decision").count() == 1
