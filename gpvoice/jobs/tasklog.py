"""One JSON log line per task, with the same fields as a request's (core.logs)."""

from __future__ import annotations

from typing import Any

from django_tasks.signals import task_finished

from gpvoice.core.logs import log_event


def _log_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    started, finished = task_result.started_at, task_result.finished_at
    duration = round((finished - started).total_seconds() * 1000) if started and finished else None
    log_event(
        "task",
        task_id=str(task_result.id),
        task=task_result.task.name,
        status=str(task_result.status),
        attempt=int(task_result.kwargs.get("attempt", 1)),
        duration_ms=duration,
    )


def connect() -> None:
    task_finished.connect(_log_finished, dispatch_uid="gpvoice.jobs.tasklog")
