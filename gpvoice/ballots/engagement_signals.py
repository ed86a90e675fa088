"""What ballots tell the engagement view (core.engagement): which practices voted.

A practice was asked once for each ballot opened in the period in which it was an elector, and took
part when it voted. For a secret ballot only that it took part is read (``Participation``), never
what it chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from gpvoice.core import engagement
from gpvoice.core.models import LeadershipGroup

from .models import Elector, Participation, Status, Vote


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def voted(
    group: LeadershipGroup, practice_ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    if not practice_ids:
        return {}
    electors = (
        Elector.objects.filter(
            ballot__group=group,
            practice_id__in=practice_ids,
            ballot__opened_at__gte=_at(start),
            ballot__opened_at__lt=_at(end),
        )
        .exclude(ballot__status__in=[Status.DRAFT, Status.CANCELLED])
        .annotate(
            took=Exists(Vote.objects.filter(elector=OuterRef("pk"), is_current=True))
            | Exists(Participation.objects.filter(elector=OuterRef("pk")))
        )
    )
    rows = electors.values("practice_id").annotate(
        asked=Count("pk"), took_part=Count("pk", filter=Q(took=True))
    )
    return {r["practice_id"]: (r["took_part"], r["asked"]) for r in rows.order_by()}


engagement.register(engagement.Signal("ballots.voted", "Voted", voted, order=20))
