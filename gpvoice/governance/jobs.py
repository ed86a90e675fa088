"""Declaration reminders as scheduled work, weekly (each person at most once a week)."""

from __future__ import annotations

from datetime import datetime, timedelta

from gpvoice.core.models import LeadershipGroup
from gpvoice.jobs import schedule

from .reminders import declaration_reminders_send


def run_declaration_reminders(now: datetime) -> str:
    queued = sum(declaration_reminders_send(group=group) for group in LeadershipGroup.objects.order_by("pk"))
    return f"{queued} declaration reminders queued"


def register() -> None:
    schedule.register("declaration-reminders", every=timedelta(days=7), run=run_declaration_reminders)
