"""Reads for sessions, scoped to a group; each page runs a fixed number of queries however big it gets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gpvoice.core import rules
from gpvoice.core.models import LeadershipGroup, Membership

from .models import HOLDING, LIVE, Booking, BookingStatus, Session, SessionStatus
from .tokens import read_offer, read_session


def can_manage(membership: Membership | None) -> bool:
    return rules.is_officer(membership)


def sessions_for(*, group: LeadershipGroup) -> QuerySet[Session]:
    """Upcoming sessions first (soonest first), then past ones (latest first) — two pages' worth."""
    return Session.objects.filter(group=group).select_related("group").order_by("-starts_at", "-id")


def upcoming_for(*, group: LeadershipGroup, now: datetime | None = None) -> QuerySet[Session]:
    return (
        Session.objects.filter(
            group=group, status=SessionStatus.SCHEDULED, starts_at__gte=now or timezone.now()
        )
        .select_related("group")
        .order_by("starts_at", "id")
    )


def session_for(*, group: LeadershipGroup, pk: int) -> Session | None:
    return Session.objects.filter(group=group, pk=pk).select_related("group").first()


def booking_of(*, session: Session, user: Any) -> Booking | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Booking.objects.filter(session=session, user=user, status__in=LIVE).first()


def waiting_ahead(booking: Booking) -> int:
    return Booking.objects.filter(
        session_id=booking.session_id, status=BookingStatus.WAITING, position__lt=booking.position
    ).count()


def waiting_count(session: Session) -> int:
    return Booking.objects.filter(session=session, status=BookingStatus.WAITING).count()


def bookings_for(*, session: Session) -> QuerySet[Booking]:
    """Everyone on the session: places and offers, then the waiting list, then ended rows."""
    return Booking.objects.filter(session=session).select_related("user", "person").order_by("position")


def attendees(*, session: Session) -> QuerySet[Booking]:
    return bookings_for(session=session).filter(status=BookingStatus.BOOKED)


def offer_from(token: str) -> tuple[Booking, str] | None:
    found = read_offer(token)
    if found is None:
        return None
    booking = Booking.objects.filter(pk=found[0]).select_related("session__group", "user").first()
    return (booking, found[1]) if booking is not None else None


def linked_session(token: str) -> Session | None:
    pk = read_session(token)
    return Session.objects.filter(pk=pk).select_related("group").first() if pk is not None else None


def holders(session: Session) -> QuerySet[Booking]:
    return Booking.objects.filter(session=session, status__in=HOLDING)
