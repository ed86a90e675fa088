"""Random walks of bookings, give-ups, removals, offers and capacity changes: after every step the
kept count equals a recount, never exceeds capacity, no place is free while someone waits, and the
waiting list keeps arrival order."""

from __future__ import annotations

import random

import pytest

from gpvoice.events import services
from gpvoice.events.models import HOLDING, Booking, BookingStatus, Session, WaitMode

from .conftest import details


def _check(session: Session) -> None:
    session.refresh_from_db()
    rows = list(Booking.objects.filter(session=session).order_by("position"))
    holding = [b for b in rows if b.status in HOLDING]
    waiting = [b for b in rows if b.status == BookingStatus.WAITING]
    assert session.booked == len(holding) <= session.capacity
    if waiting:  # a place is never left free while someone waits
        assert session.booked == session.capacity
        # Everyone who moved up since arriving came before everyone still waiting.
        promoted_late = [b for b in holding if b.position > waiting[0].position]
        assert promoted_late == []
    live_users = [b.user_id for b in rows if b.status in (*HOLDING, BookingStatus.WAITING)]
    assert len(live_users) == len(set(live_users))


def _step(rng: random.Random, session: Session, people: list, admin) -> None:
    who = rng.choice(people)
    move = rng.choice(["book", "book", "book", "cancel", "remove", "accept", "capacity"])
    try:
        if move == "book":
            services.booking_make(session=session, actor=who)
        elif move == "cancel":
            services.booking_cancel(session=session, actor=who)
        elif move == "remove":
            live = Booking.objects.filter(session=session, status__in=[*HOLDING, "waiting"]).order_by("?")
            if found := live.first():
                services.booking_remove(session=session, booking_id=found.pk, actor=admin)
        elif move == "accept":
            if offer := Booking.objects.filter(session=session, status="offered").first():
                services.offer_accept(booking_id=offer.pk, offered_at=offer.offered_at.isoformat())
        else:
            session.refresh_from_db()
            keep = {
                f: getattr(session, f) for f in ("starts_at", "ends_at", "opens_at", "closes_at", "cancel_by")
            }
            new = max(session.booked, session.capacity + rng.choice([-1, 1]), 1)
            services.session_update(
                session=session,
                details=details(capacity=new, wait_mode=session.wait_mode, **keep),
                actor=admin,
            )
    except services.EventError:
        pass  # a refusal some order of people would also get: the invariants hold either way


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("mode", [WaitMode.PROMOTE, WaitMode.OFFER])
def test_places_stay_fair_through_any_sequence(make_session, staff, admin, seed, mode):
    rng = random.Random(seed)
    session = make_session(capacity=3, wait_mode=mode)
    people = staff(8)
    for _ in range(40):
        _step(rng, session, people, admin)
        _check(session)
    # The walk did more than book: places were given up or removed, and people waited.
    statuses = set(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses & {"cancelled", "removed"} and Booking.objects.filter(session=session).count() > 3
