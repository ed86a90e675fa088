"""The kept monthly service-level figures (MonthlyServiceLevel): moved by each service that changes
what a request adds to them, in its transaction; rebuilt and checked by ``gpvoice recount``.

A service locks the request (services.common.lock_request, which notes the request's share as it
stood) and saves it through services.common.save_request, which moves the difference between the
share before and after onto the month rows, each locked (in month order, so two writers cannot
deadlock).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from . import servicelevels
from .models import AccessRequest, MonthlyServiceLevel, Status
from .servicelevels import SLOTS, Share, Tally

BEFORE = "_kept_share"


def _local(at: Any) -> date:
    return timezone.localdate(at)


def share_of(request: AccessRequest) -> Share | None:
    """What the request adds to its month; None before it is received."""
    if request.received_at is None or request.status == Status.UNVERIFIED:
        return None
    row = servicelevels.Row(
        request.received_at, request.first_response_at, request.answered_at, request.due_on
    )
    return servicelevels.share_of(row, _local)


def note(request: AccessRequest) -> AccessRequest:
    """Remember the request's share as it stands (called under the request's lock)."""
    setattr(request, BEFORE, share_of(request))
    return request


def keep(request: AccessRequest) -> None:
    """Move the figures by what the request's last changes did to its share."""
    before = getattr(request, BEFORE)  # AttributeError: the request was not locked through common
    after = share_of(request)
    if before != after:
        move(request.group_id, before, after)
    setattr(request, BEFORE, after)


def _tally(row: MonthlyServiceLevel) -> Tally:
    return Tally(
        received=row.received,
        first_responded=row.first_responded,
        answered=row.answered,
        answered_in_time=row.answered_in_time,
        first_response_days=_slots(row.first_response_days),
        answer_days=_slots(row.answer_days),
    )


def _slots(counts: Any) -> list[int]:
    counts = list(counts or [])
    return (counts + [0] * SLOTS)[:SLOTS]


def _store(row: MonthlyServiceLevel, tally: Tally) -> None:
    row.received, row.first_responded = tally.received, tally.first_responded
    row.answered, row.answered_in_time = tally.answered, tally.answered_in_time
    row.first_response_days, row.answer_days = tally.first_response_days, tally.answer_days


def _locked_month(group_id: int, month: date) -> MonthlyServiceLevel:
    try:
        with transaction.atomic():
            MonthlyServiceLevel.objects.get_or_create(group_id=group_id, month=month)
    except IntegrityError:  # another writer created the month first
        pass
    return lock_row(MonthlyServiceLevel.objects.all(), group_id=group_id, month=month)


def move(group_id: int, before: Share | None, after: Share | None) -> None:
    changes = [(s, sign) for s, sign in ((before, -1), (after, 1)) if s is not None]
    for month in sorted({s.month for s, _ in changes}):
        row = _locked_month(group_id, month)
        tally = _tally(row)
        for share, sign in changes:
            if share.month == month:
                tally.add(share, sign)
        _store(row, tally)
        row.save()


def recount(group: LeadershipGroup | None = None) -> dict[tuple[int, date], Tally]:
    """Every (group, month)'s figures counted afresh from the requests."""
    requests = AccessRequest.objects.exclude(status=Status.UNVERIFIED).filter(received_at__isnull=False)
    if group is not None:
        requests = requests.filter(group=group)
    counted: dict[tuple[int, date], Tally] = {}
    fields = ("group_id", "status", "received_at", "first_response_at", "answered_at", "due_on")
    for request in requests.only(*fields).order_by("pk").iterator(chunk_size=2000):
        share = share_of(request)
        if share is not None:
            counted.setdefault((request.group_id, share.month), Tally()).add(share)
    return counted


def _kept_rows(group: LeadershipGroup | None) -> Iterable[MonthlyServiceLevel]:
    rows = MonthlyServiceLevel.objects.order_by("group_id", "month")
    return rows if group is None else rows.filter(group=group)


@transaction.atomic
def rebuild(group: LeadershipGroup | None = None) -> int:
    """Replace the kept figures (of one group, or all) with a recount; returns the months kept.
    The caller audits (operations.derived.rebuild_derived) or is a bulk loader (demo, migration)."""
    counted = recount(group)
    kept = (
        MonthlyServiceLevel.objects.all()
        if group is None
        else MonthlyServiceLevel.objects.filter(group=group)
    )
    kept.delete()
    rows = []
    for (group_id, month), tally in counted.items():
        row = MonthlyServiceLevel(group_id=group_id, month=month)
        _store(row, tally)
        rows.append(row)
    MonthlyServiceLevel.objects.bulk_create(rows)
    return len(rows)


def differences(group: LeadershipGroup | None = None) -> list[str]:
    """Every month whose kept figures differ from a recount; empty when they agree."""
    counted = {key: t for key, t in recount(group).items() if not t.is_empty()}
    kept = {(r.group_id, r.month): _tally(r) for r in _kept_rows(group)}
    kept = {key: t for key, t in kept.items() if not t.is_empty()}
    problems = []
    for key in sorted(set(counted) | set(kept)):
        if counted.get(key) != kept.get(key):
            group_id, month = key
            problems.append(
                f"service levels of group {group_id} for {month:%Y-%m}: kept {kept.get(key)}, "
                f"recounted {counted.get(key)}"
            )
    return problems


def last_twelve(group: LeadershipGroup, today: date) -> list[servicelevels.Month]:
    """The kept figures of the twelve months to ``today``'s, oldest first (at most twelve rows)."""
    first = date(today.year - (1 if today.month < 12 else 0), today.month % 12 + 1, 1)
    rows = MonthlyServiceLevel.objects.filter(group=group, month__gte=first, month__lte=today)
    return [servicelevels.month_of(row.month, _tally(row)) for row in rows.order_by("month") if row.received]
