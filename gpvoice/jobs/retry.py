"""Retrying a failed task later, with exponential backoff."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=1)


def backoff(attempt: int) -> timedelta:
    """The wait after the ``attempt``-th failure: 30 s, 1 min, 2 min, … at most an hour."""
    return min(FIRST_DELAY * 2 ** (attempt - 1), LONGEST_DELAY)


def retry_at(attempt: int, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + backoff(attempt)


def enqueue_retry(task: Any, *args: Any, attempt: int, at: datetime) -> bool:
    """Queue ``task`` again for ``at`` as attempt ``attempt + 1``; False when attempts are used up or
    the backend cannot defer (the immediate backend of the tests)."""
    if attempt >= MAX_ATTEMPTS:
        logger.error("task %s gave up after %d attempts", task.name, attempt)
        return False
    if not task.get_backend().supports_defer:
        return False
    task.using(run_after=at).enqueue(*args, attempt=attempt + 1)
    return True
