"""The ballot clock as scheduled work: open and close what is due, then queue due reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from gpvoice.jobs import schedule

from .reminders import reminders_due
from .services import advance_due


def run_clock(now: datetime) -> str:
    moved = advance_due(now=now)
    queued = reminders_due(now=now)
    return f"{len(moved)} ballots moved, {queued} reminders queued"


def register() -> None:
    schedule.register("ballot-clock", every=timedelta(minutes=1), run=run_clock)
