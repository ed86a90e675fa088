"""What engagement tells its own view (core.engagement): consultations answered and bulletins read.

* responded: each consultation opened in the period asked every footprint practice once; the
  practice took part when it has a current response (its own, or one of its people's).
* read: each copy of a bulletin sent in the period to someone at the practice; taken when the
  copy was read in the web archive (the only reading that can be known without tracking pixels).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from gpvoice.core import engagement
from gpvoice.core.models import LeadershipGroup

from .models import BulletinDelivery, Consultation, ConsultationStatus, DeliveryState, Response


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def responded(
    group: LeadershipGroup, practice_ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    asked = list(
        Consultation.objects.filter(group=group, opened_at__gte=_at(start), opened_at__lt=_at(end))
        .exclude(status=ConsultationStatus.DRAFT)
        .values_list("pk", flat=True)
    )
    if not asked or not practice_ids:
        return {}
    took = dict(
        Response.objects.filter(consultation_id__in=asked, practice_id__in=practice_ids, is_current=True)
        .values("practice_id")
        .annotate(n=Count("consultation_id", distinct=True))
        .values_list("practice_id", "n")
        .order_by()
    )
    return {pk: (took.get(pk, 0), len(asked)) for pk in practice_ids}


def read(
    group: LeadershipGroup, practice_ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    if not practice_ids:
        return {}
    rows = (
        BulletinDelivery.objects.filter(
            bulletin__group=group,
            practice_id__in=practice_ids,
            bulletin__sent_at__gte=_at(start),
            bulletin__sent_at__lt=_at(end),
            state=DeliveryState.SENT,
        )
        .values("practice_id")
        .annotate(asked=Count("pk"), took=Count("pk", filter=Q(read_at__isnull=False)))
        .order_by()
    )
    return {r["practice_id"]: (r["took"], r["asked"]) for r in rows}


engagement.register(engagement.Signal("engagement.responded", "Answered consultations", responded, order=30))
engagement.register(engagement.Signal("engagement.read", "Read bulletins", read, order=40))
