"""Bookers racing for few places: threads released together, on SQLite and on PostgreSQL.

On PostgreSQL the threads really run in parallel and queue on the session row's lock; on SQLite
BEGIN IMMEDIATE queues them. Either way: exactly ``capacity`` booked, the rest waiting in the order
they took the lock (positions 1..n with no gap), the kept count equal to a recount, and a
cancellation promotes exactly one.
"""

from __future__ import annotations

import pytest

from gpvoice.core.tests.threads import run_together
from gpvoice.events import services
from gpvoice.events.models import HOLDING, Booking, BookingStatus

CAPACITY = 4


def _assert_fair(session, capacity: int, total: int) -> None:
    session.refresh_from_db()
    rows = list(Booking.objects.filter(session=session).order_by("position"))
    assert [b.position for b in rows] == list(range(1, total + 1))  # arrival order, no gap, no repeat
    assert [b.status for b in rows] == ["booked"] * capacity + ["waiting"] * (total - capacity)
    assert session.booked == capacity == Booking.objects.filter(session=session, status__in=HOLDING).count()


@pytest.mark.django_db(transaction=True)
def test_five_times_capacity_booking_at_once_fills_exactly_capacity(make_session, staff):
    session = make_session(capacity=CAPACITY)
    people = staff(5 * CAPACITY)
    calls = [(lambda u=u: services.booking_make(session=session, actor=u)) for u in people]
    assert run_together(calls, at_once=10) == []
    _assert_fair(session, CAPACITY, 5 * CAPACITY)


@pytest.mark.django_db(transaction=True)
def test_one_person_booking_five_times_at_once_holds_one_place(make_session, staff):
    session = make_session(capacity=CAPACITY)
    (person,) = staff(1)
    calls = [(lambda: services.booking_make(session=session, actor=person)) for _ in range(5)]
    assert run_together(calls, refusals=(services.EventError,)) == []
    assert Booking.objects.filter(session=session, user=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_cancellations_at_once_each_promote_exactly_one(make_session, staff):
    session = make_session(capacity=CAPACITY)
    people = staff(3 * CAPACITY)
    for u in people:
        services.booking_make(session=session, actor=u)
    leaving = people[:2]
    calls = [(lambda u=u: services.booking_cancel(session=session, actor=u)) for u in leaving]
    # Newcomers arrive at the same moment as the cancellations: they queue behind those waiting.
    newcomers = staff(3)
    calls += [(lambda u=u: services.booking_make(session=session, actor=u)) for u in newcomers]
    assert run_together(calls) == []
    session.refresh_from_db()
    holding = Booking.objects.filter(session=session, status__in=HOLDING)
    assert session.booked == CAPACITY == holding.count()
    promoted = Booking.objects.filter(session=session, status=BookingStatus.BOOKED, position__gt=CAPACITY)
    assert sorted(promoted.values_list("position", flat=True)) == [CAPACITY + 1, CAPACITY + 2]
    assert not Booking.objects.filter(session=session, user__in=newcomers, status__in=HOLDING).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_bookers_on_postgres_never_overbook(make_session, staff):
    session = make_session(capacity=10)
    people = staff(50)
    calls = [(lambda u=u: services.booking_make(session=session, actor=u)) for u in people]
    assert run_together(calls, at_once=20) == []
    _assert_fair(session, 10, 50)
