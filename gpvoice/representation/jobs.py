"""Scheduled work: briefings sent when due, overdue report-backs chased (each once)."""

from __future__ import annotations

from datetime import datetime, timedelta

from gpvoice.jobs import schedule

from . import services


def run_representation(now: datetime) -> str:
    sent = services.briefings_send_due(now=now)
    chased = services.report_backs_chase(now=now)
    return f"{sent} briefings sent, {chased} report-backs chased"


def register() -> None:
    schedule.register("representation-briefings-and-chases", every=timedelta(hours=1), run=run_representation)
