"""Engagement's scheduled work: consultation deadlines and reminders, stalled bulletins, digests."""

from __future__ import annotations

from datetime import datetime, timedelta

from gpvoice.jobs import schedule


def run_consultations(now: datetime) -> str:
    from .services import reminders_send

    return f"{reminders_send(now=now)} consultation reminders queued"


def run_bulletins(now: datetime) -> str:
    from .delivery import resume

    return f"{resume(now)} bulletins resumed"


def run_digests(now: datetime) -> str:
    from .delivery import send_digests

    return f"{send_digests(now)} digests sent"


def run_figures(now: datetime) -> str:
    from .figures import refresh_all

    return f"{refresh_all(now)} practices' engagement recounted"


def register() -> None:
    schedule.register("engagement-consultations", every=timedelta(minutes=5), run=run_consultations)
    schedule.register("engagement-bulletins", every=timedelta(minutes=5), run=run_bulletins)
    schedule.register("engagement-digests", every=timedelta(days=1), run=run_digests)
    schedule.register("engagement-figures", every=timedelta(days=1), run=run_figures)
