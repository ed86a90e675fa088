"""What the health endpoint probes: the database, and the cache when it is shared (REDIS_URL).

A load balancer asks every second or so, from each of its checkers; each answer is kept for
``HEALTH_CACHE_SECONDS`` (2 by default) in the worker that probed, so a burst of checks costs one
probe per worker, on the worker's kept connection, instead of a query (or a new connection) each.
A database or cache that stops answering is still reported within that many seconds.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .checks import PER_PROCESS_CACHES
from .logs import log_event

Probe = Callable[[], bool]

_lock = threading.Lock()
_last: tuple[float, list[str]] | None = None  # (when it was probed, what failed)


def failed_probes() -> list[str]:
    """The names of the probes that did not answer, in order; empty when all is well. An answer
    younger than HEALTH_CACHE_SECONDS is given again without probing."""
    global _last  # noqa: PLW0603 - one answer per worker process, guarded by _lock
    keep = float(getattr(settings, "HEALTH_CACHE_SECONDS", 0))
    with _lock:
        now = time.monotonic()
        if _last is not None and 0 <= now - _last[0] < keep:
            return list(_last[1])
        failed = [name for name, probe in _probes() if not _answers(name, probe)]
        _last = (time.monotonic(), failed)
        return list(failed)


def forget() -> None:
    """Probe afresh on the next call (tests)."""
    global _last  # noqa: PLW0603
    with _lock:
        _last = None


def _probes() -> list[tuple[str, Probe]]:
    probes: list[tuple[str, Probe]] = [("database", _database_answers)]
    if settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_CACHES:
        probes.append(("cache", _cache_answers))  # a per-process cache cannot be down
    return probes


def _answers(name: str, probe: Probe) -> bool:
    try:
        return probe()
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy; its class is logged
        log_event("health probe failed", level=logging.WARNING, probe=name, error=type(error).__name__)
        return False


def _database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_answers() -> bool:
    token = secrets.token_hex(8)
    cache.set("gpvoice:health", token, timeout=10)
    return bool(cache.get("gpvoice:health") == token)
