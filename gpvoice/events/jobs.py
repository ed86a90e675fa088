"""Scheduled work for sessions: offers past their time pass on; the day-before reminders go out."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from gpvoice.jobs import schedule

from . import services
from .models import Booking, BookingStatus, Session


def run_offers(now: datetime) -> str:
    due = (
        Booking.objects.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    lapsed = 0
    for session_id in list(due):
        lapsed += services.offers_lapse(session=Session.objects.get(pk=session_id), now=now)
    return f"{lapsed} offers lapsed"


def run_reminders(now: datetime) -> str:
    return f"{services.reminders_send(now=now or timezone.now())} reminders queued"


def register() -> None:
    schedule.register("events-offers", every=timedelta(minutes=5), run=run_offers)
    schedule.register("events-reminders", every=timedelta(hours=1), run=run_reminders)
