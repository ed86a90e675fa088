"""Sessions at a glance, as an engagement signal, and on the home page's to-do list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from gpvoice.core import engagement, glance, todo
from gpvoice.core.selectors import membership_in
from gpvoice.events import services
from gpvoice.events.models import Booking, WaitMode


def _request(group, user):
    request = RequestFactory().get("/")
    request.user = user
    request.group = group
    request.membership = membership_in(user=user, group=group)
    return request


@pytest.mark.django_db
def test_attended_out_of_booked_per_practice(make_session, staff, area, admin, group):
    session = make_session(capacity=3)
    a, b, c = staff(3)  # a and c at the first practice, b at the second
    for u in (a, b, c):
        services.booking_make(session=session, actor=u)
    day = session.starts_at
    booked = Booking.objects.filter(session=session, user__in=[a, b])
    services.attendance_record(session=session, attended=[x.pk for x in booked], actor=admin, now=day)
    first, second = (p.pk for p in area["practices"])
    signal = next(s for s in engagement.signals() if s.key == "events.attended")
    start, end = date(2026, 1, 1), date(2031, 1, 1)
    assert signal.counter(group, [first, second], start, end) == {}  # the session has not begun yet
    session.starts_at, session.ends_at = day - timedelta(days=30), day - timedelta(days=30, hours=-2)
    session.save(update_fields=["starts_at", "ends_at"])
    with CaptureQueriesContext(connection) as queries:
        counts = signal.counter(group, [first, second], start, end)
    assert counts == {first: (1, 2), second: (1, 1)} and len(queries) == 1


@pytest.mark.django_db
def test_dashboard_practice_record_and_annual_report(make_session, staff, area, group):
    session = make_session(capacity=1)
    a, b = staff(2)
    services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    tile = next(s for s in glance.dashboard(group) if s.key == "events")
    assert tile.title == "Upcoming sessions" and tile.table is not None
    assert tile.table.rows == [[session.title, tile.table.rows[0][1], "0", "1"]]
    record = next(s for s in glance.practice_record(group, area["practices"][0]) if s.key == "events")
    assert record.table is not None and record.table.rows[0][3] == "Booked"
    assert not [
        s for s in glance.annual_report(group, date(2020, 1, 1), date(2040, 1, 1)) if s.key == "events"
    ]


@pytest.mark.django_db
def test_to_do_an_offer_to_accept_and_a_session_tomorrow(make_session, staff, group):
    session = make_session(capacity=1, wait_mode=WaitMode.OFFER)
    a, b = staff(2)
    services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    services.booking_cancel(session=session, actor=a)
    items = [i for i in todo.items(_request(group, b)) if "offered" in i.text]
    assert len(items) == 1 and "/sessions/offer/" in items[0].href


@pytest.mark.django_db
def test_to_do_a_session_booked_for_tomorrow(make_session, staff, group):
    import time_machine

    session = make_session(capacity=1)
    (a,) = staff(1)
    services.booking_make(session=session, actor=a)
    assert not [i for i in todo.items(_request(group, a)) if "tomorrow" in i.text]
    with time_machine.travel(session.starts_at - timedelta(days=1), tick=False):
        items = [i for i in todo.items(_request(group, a)) if "tomorrow" in i.text]
    assert len(items) == 1 and items[0].due == session.starts_at
