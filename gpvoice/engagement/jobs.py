"""Engagement's scheduled work: consultation deadlines and reminders, every few minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from gpvoice.jobs import schedule


def run_consultations(now: datetime) -> str:
    from .services import reminders_send

    return f"{reminders_send(now=now)} consultation reminders queued"


def register() -> None:
    schedule.register("engagement-consultations", every=timedelta(minutes=5), run=run_consultations)
