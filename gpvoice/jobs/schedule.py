"""Scheduled work: apps register jobs here, and a worker enqueues each due one exactly once.

An app registers in its ``AppConfig.ready()``::

    schedule.register("ballot-clock", every=timedelta(minutes=1), run=run_clock)

``enqueue_due`` (called by ``gpvoice worker`` every cycle) claims each due occurrence by
compare-and-swap on ``ScheduledJob.next_run_at``, so two workers never run the same job twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledJob


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], object]


_JOBS: dict[str, Job] = {}


def register(name: str, *, every: timedelta, run: Callable[[datetime], object]) -> None:
    if name in _JOBS and _JOBS[name].run is not run:
        raise ValueError(f"A scheduled job called {name!r} is already registered.")
    _JOBS[name] = Job(name=name, every=every, run=run)


def registered() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def job_named(name: str) -> Job:
    return _JOBS[name]


def _row(job: Job, now: datetime) -> ScheduledJob:
    try:
        with transaction.atomic():
            return ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})[0]
    except IntegrityError:  # two workers met a new job at once; the other created its row
        return ScheduledJob.objects.get(name=job.name)


def enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every job whose time has come; returns the names this worker claimed."""
    from .tasks import run_scheduled_job

    now = now or timezone.now()
    claimed: list[str] = []
    for job in registered():
        row = _row(job, now)
        if row.next_run_at > now:
            continue
        with transaction.atomic():
            # Compare-and-swap: only one worker's UPDATE still matches the occurrence it read.
            won = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=now + job.every, last_enqueued_at=now
            )
            if won != 1:
                continue
            run_scheduled_job.enqueue(job.name)
        claimed.append(job.name)
    return claimed
