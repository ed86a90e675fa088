"""Figures worked out from a group's records, kept in the cache until the records change.

``kept(group, name, compute)`` answers from the cache while the group's audit chain stands where it
stood and the minute is the same, and works ``compute()`` out otherwise. Every governed write in
the group is audited, so it moves the chain's sequence and a member sees their own change at once;
the minute bounds what changes with no write in the group's chain (a deadline passing, a meeting
starting, a directory import, which the platform's chain records). With the cache unreachable,
``compute()`` is worked out every time (logged), so pages go on serving.

Kept values must be the group's alone, the same for everyone who asks under that name: a name
carries whatever else they depend on (a role, a year).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone

from .models import AuditChain, LeadershipGroup

T = TypeVar("T")
KEPT_FOR = 120  # seconds; the key changes every minute, so an entry is never read after that

log = logging.getLogger(__name__)


def sequence(group: LeadershipGroup) -> int:
    """Where the group's audit chain stands: one indexed read."""
    found = (
        AuditChain.objects.filter(key=AuditChain.key_for(group.pk))
        .values_list("last_sequence", flat=True)
        .first()
    )
    return found or 0


def key(group: LeadershipGroup, name: str) -> str:
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return f"kept:{name}:{group.pk}:{sequence(group)}:{minute}"


def kept(
    group: LeadershipGroup,
    name: str,
    compute: Callable[[], T],
    *,
    accept: Callable[[Any], bool] | None = None,
) -> T:
    """``compute()``, or what it gave last under the same name, group, audit sequence and minute.
    ``accept`` may refuse a kept value (one of another shape) so that it is worked out again."""
    where = key(group, name)
    try:
        found = cache.get(where)
    except Exception:
        log.warning("kept %s: cache unreachable on read", name)
        return compute()
    if found is not None and (accept is None or accept(found)):
        return found
    value = compute()
    try:
        cache.set(where, value, KEPT_FOR)
    except Exception:
        log.warning("kept %s: cache unreachable on write", name)
    return value
