"""What the health endpoint probes: the database, and the cache when it is shared (REDIS_URL)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .checks import PER_PROCESS_CACHES
from .logs import log_event

Probe = Callable[[], bool]


def failed_probes() -> list[str]:
    """The names of the probes that did not answer, in order; empty when all is well."""
    return [name for name, probe in _probes() if not _answers(name, probe)]


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
