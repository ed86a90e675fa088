"""Sessions at a glance (core.glance) and as an engagement signal (core.engagement)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import engagement, glance
from gpvoice.core.formats import short_day, short_when
from gpvoice.core.models import LeadershipGroup

from . import selectors
from .models import Booking, BookingStatus, Session, SessionStatus

SHOWN = 5


def _current(prefix: str, on: date) -> Q:
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


def attended_sessions(
    group: LeadershipGroup, practice_ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    """Per practice: sessions attended out of sessions booked (a place held, the session begun) by
    people holding a current appointment at the practice, for sessions starting in ``[start, end)``.
    One query for any number of practices."""
    rows = (
        Booking.objects.filter(
            _current("person__appointments__", timezone.localdate()),
            person__appointments__organisation_id__in=list(practice_ids),
            session__group=group,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__date__gte=start,
            session__starts_at__date__lt=end,
            session__starts_at__lt=timezone.now(),
            status=BookingStatus.BOOKED,
        )
        .values("person__appointments__organisation_id")
        .annotate(
            booked=Count("pk", distinct=True),
            attended=Count("pk", filter=Q(attended=True), distinct=True),
        )
    )
    return {r["person__appointments__organisation_id"]: (r["attended"], r["booked"]) for r in rows}


def upcoming_sessions(group: LeadershipGroup) -> glance.Section | None:
    found = list(
        selectors.upcoming_for(group=group).annotate(
            waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING))
        )[:SHOWN]
    )
    if not found:
        return None
    rows = [[s.title, short_when(s.starts_at), str(s.capacity - s.booked), str(s.waiting)] for s in found]
    return glance.Section(
        key="events",
        title="Upcoming sessions",
        summary=[("Next", f"{found[0].title}, {short_when(found[0].starts_at)}")],
        table=glance.Table(head=["Session", "When", "Places left", "Waiting"], rows=rows),
        href=reverse("events:list", args=[group.slug]),
        href_text="All sessions",
        data={
            "sessions": [
                {"title": r[0], "starts": r[1], "left": int(r[2]), "waiting": int(r[3])} for r in rows
            ]
        },
    )


def practice_bookings(group: LeadershipGroup, practice: Any) -> glance.Section | None:
    found = list(
        Booking.objects.filter(
            _current("person__appointments__", timezone.localdate()),
            person__appointments__organisation=practice,
            session__group=group,
        )
        .select_related("session", "person")
        .distinct()
        .order_by("-session__starts_at", "-pk")[:10]
    )
    if not found:
        return None
    rows = [
        [
            b.session.title,
            short_day(b.session.starts_at),
            b.person.full_name if b.person else "",
            b.get_status_display(),
            "" if b.attended is None else ("Yes" if b.attended else "No"),
        ]
        for b in found
    ]
    return glance.Section(
        key="events",
        title="Session bookings",
        table=glance.Table(
            head=["Session", "Date", "Who", "Booking", "Attended"],
            rows=rows,
            caption="The latest bookings by the practice's people",
        ),
        data={
            "bookings": [
                dict(zip(["session", "date", "who", "status", "attended"], r, strict=True)) for r in rows
            ]
        },
    )


def sessions_year(group: LeadershipGroup, start: date, end: date) -> glance.Section | None:
    held = Session.objects.filter(
        group=group,
        status=SessionStatus.SCHEDULED,
        starts_at__date__gte=start,
        starts_at__date__lt=end,
        starts_at__lt=timezone.now(),
    )
    totals = held.aggregate(n=Count("pk"), places=Sum("capacity"), booked=Sum("booked"))
    if not totals["n"]:
        return None
    attended = Booking.objects.filter(session__in=held, attended=True).count()
    booked = totals["booked"] or 0
    share = f"{attended} of {booked}" + (f" ({round(100 * attended / booked)}%)" if booked else "")
    return glance.Section(
        key="events",
        title="Sessions",
        summary=[
            ("Sessions held", str(totals["n"])),
            ("Places", f"{booked} taken of {totals['places'] or 0}"),
            ("Attended", share),
        ],
        data={"held": totals["n"], "places": totals["places"] or 0, "booked": booked, "attended": attended},
    )


glance.register_dashboard("events", upcoming_sessions, order=60)
glance.register_practice_record("events", practice_bookings, order=60)
glance.register_annual_report("events", sessions_year, order=60)
engagement.register(engagement.Signal("events.attended", "Attended a session", attended_sessions, order=60))
