"""Retention as scheduled work: daily, through the worker (gpvoice.jobs.schedule)."""

from __future__ import annotations

from datetime import datetime, timedelta

from gpvoice.jobs import schedule

from .services.retention import retention_apply


def run_retention(now: datetime) -> str:
    deleted = retention_apply(now=now)
    return f"{sum(deleted.values())} rows past their retention period deleted"


def register() -> None:
    schedule.register("apply-retention", every=timedelta(days=1), run=run_retention)
