"""A national session for load-scale (the issue 11 drill): set up through the service, then booked
by the national footprint's signatories in bulk, five for every place: the first ``capacity`` booked,
the rest waiting in order, with the kept counts and the audit entries ``booking_make`` writes."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.scale import Part, ScaleContext
from gpvoice.events.models import Audience, Booking, BookingStatus, Kind, Session, WaitMode
from gpvoice.events.services import Details, session_create

BATCH = 2000


def _details(capacity: int) -> Details:
    start = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    return Details(
        kind=Kind.LEADERS,
        title="National leaders' event",
        description="",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="",
        link="https://example.nhs.uk/national-event",
        capacity=capacity,
        audience=Audience.FOOTPRINT,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=start - timedelta(days=1),
        cancel_by=start - timedelta(days=2),
        wait_mode=WaitMode.PROMOTE,
        offer_hours=24,
    )


def load_events(ctx: ScaleContext) -> Part:
    group = ctx.national
    users = sorted({u for p in ctx.footprints[group.pk] for u in ctx.signatories.get(p.pk, [])})
    capacity = max(1, len(users) // 5)
    session = session_create(group=group, details=_details(capacity), actor=None)
    now = timezone.now()
    with transaction.atomic():
        rows = Booking.objects.bulk_create(
            [
                Booking(
                    session=session,
                    user_id=u,
                    person_id=ctx.persons.get(u),
                    status=BookingStatus.BOOKED if n <= capacity else BookingStatus.WAITING,
                    position=n,
                    created_at=now,
                    booked_at=now if n <= capacity else None,
                )
                for n, u in enumerate(users, start=1)
            ],
            batch_size=BATCH,
        )
        booked = min(capacity, len(rows))
        Session.objects.filter(pk=session.pk).update(booked=booked, queued=len(rows))
        entries = audit.record_many(
            group=group,
            events=(
                audit.Event(
                    "events.booking.made" if b.status == BookingStatus.BOOKED else "events.booking.waiting",
                    b.user_id,
                    ctx.emails[b.user_id],
                    "events.Booking",
                    str(b.pk),
                    {"session": session.pk, "status": b.status, "position": b.position},
                )
                for b in rows
            ),
        )
    return Part(
        "events",
        path="service (session_create); bookings: bulk with their audit entries",
        counts={"sessions": 1, "bookings": len(rows), "booked": booked, "audit entries": entries},
    )
