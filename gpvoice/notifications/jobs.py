"""Notices as scheduled work: every minute, announce what is due (each event once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from gpvoice.jobs import schedule

from .services import notices_send


def run_notices(now: datetime) -> str:
    return f"{notices_send(now=now)} notification emails queued"


def register() -> None:
    schedule.register("notifications", every=timedelta(minutes=1), run=run_notices)
