"""The home page's group-wide panels are kept in the cache for the group and role, under the group's
audit sequence and the minute (``core.panels``): a governed write shows at once, what changes with
no write shows within a minute, each role sees its own panels, and the person's own panel is never
shared."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import PersonFactory
from gpvoice.meetings import services as meetings
from gpvoice.meetings.models import Meeting

NOW = datetime(2026, 11, 10, 9, 15, 20, tzinfo=UTC)


def _home(client, group) -> str:
    response = client.get(reverse("core:group_home", args=[group.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _meeting(group, admin, title: str) -> Meeting:
    starts = NOW + timedelta(days=7)
    return meetings.meeting_create(
        group=group,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        actor=admin,
        notify=False,
    )


@pytest.mark.django_db
def test_a_governed_write_shows_at_once_and_an_unaudited_change_within_the_minute(client, group, personas):
    admin = personas[Role.ADMIN]
    client.force_login(personas[Role.CORE])
    with time_machine.travel(NOW, tick=False) as clock:
        meeting = _meeting(group, admin, "Core group, November")
        assert "Next: Core group, November" in _home(client, group)

        # A change that bypasses the services (and so the audit): the kept panels are still read...
        Meeting.objects.filter(pk=meeting.pk).update(title="Renamed quietly")
        assert "Next: Core group, November" in _home(client, group)
        clock.shift(timedelta(seconds=39))  # 09:15:59, the same minute
        assert "Renamed quietly" not in _home(client, group)
        clock.shift(timedelta(seconds=1))  # 09:16:00: a new minute, worked out again
        assert "Next: Renamed quietly" in _home(client, group)

        # ...and a governed write, audited, moves the key at once.
        meetings.meeting_cancel(meeting=Meeting.objects.get(pk=meeting.pk), actor=admin)
        assert "No meeting planned." in _home(client, group)


@pytest.mark.django_db
def test_each_role_reads_its_own_panels(client, group, personas):
    """Officers' panels carry links members' do not (the dashboard); kept per role, never crossed."""
    with time_machine.travel(NOW, tick=False):
        client.force_login(personas[Role.ADMIN])
        assert "Dashboard" in _home(client, group)
        client.force_login(personas[Role.CORE])
        assert "Dashboard" not in _home(client, group)
        client.force_login(personas[Role.ADMIN])
        assert "Dashboard" in _home(client, group)


@pytest.mark.django_db
def test_another_groups_panels_are_never_read(client, group, other_group, personas, outsider):
    with time_machine.travel(NOW, tick=False):
        _meeting(other_group, outsider, "Southmere only")
        client.force_login(outsider)
        assert "Southmere only" in _home(client, other_group)
        client.force_login(personas[Role.CORE])
        assert "Southmere only" not in _home(client, group)


@pytest.mark.django_db
def test_the_persons_own_panel_is_worked_out_for_each_member(client, group, personas):
    """Overdue actions are the person's: two members of one role, each sees their own."""
    from gpvoice.meetings.models import Action, ActionStatus, AgendaItem

    admin = personas[Role.ADMIN]
    mine, theirs = personas[Role.CORE], personas[Role.EXECUTIVE]
    PersonFactory(user=mine)
    PersonFactory(user=theirs)
    with time_machine.travel(NOW, tick=False):
        meeting = _meeting(group, admin, "Core group")
        item = AgendaItem.objects.create(meeting=meeting, position=1, title="Estates")
        Action.objects.create(
            group=group,
            item=item,
            description="Send the estates survey",
            owner=mine.person,
            due_on=NOW.date() - timedelta(days=3),
            status=ActionStatus.OPEN,
            created_by=admin,
        )
        client.force_login(mine)
        assert "Send the estates survey" in _home(client, group)
        client.force_login(theirs)
        assert "Send the estates survey" not in _home(client, group)


@pytest.mark.django_db
def test_with_the_cache_unreachable_every_panel_is_worked_out(client, group, personas):
    """The real Redis client against a port that refuses: the page serves every panel."""
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with time_machine.travel(NOW, tick=False):
        _meeting(group, personas[Role.ADMIN], "Core group, November")
        client.force_login(personas[Role.CORE])
        with override_settings(CACHES=unreachable):
            html = _home(client, group)
    assert "Next: Core group, November" in html and "No ballot is open at the moment." in html


@pytest.mark.django_db
def test_the_annual_report_is_kept_the_same_way(client, group, personas):
    """The report's sections (``core.kept``): a meeting held through the services shows at once; a
    change that bypasses them shows from the next minute."""
    admin = personas[Role.ADMIN]
    client.force_login(personas[Role.CORE])
    report = reverse("glance:report", args=[group.slug])
    with time_machine.travel(NOW, tick=False) as clock:
        meeting = _meeting(group, admin, "Core group, November")
        assert "Meetings cancelled" not in client.get(report).content.decode()  # nothing held or cancelled

        meetings.meeting_cancel(meeting=meeting, actor=admin)  # audited: shown at once
        html = client.get(report).content.decode()
        assert "Meetings cancelled" in html

        Meeting.objects.filter(pk=meeting.pk).delete()  # bypasses the services and the audit
        assert "Meetings cancelled" in client.get(report).content.decode()
        clock.shift(timedelta(minutes=1))
        assert "Meetings cancelled" not in client.get(report).content.decode()
