"""What governance tells the engagement view (core.engagement): which practices ratified the mandate.

A practice was asked once, by the latest mandate round opened before the end of the period; it took
part when its current answer to that round is to agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from django.utils import timezone

from gpvoice.core import engagement
from gpvoice.core.models import LeadershipGroup

from .models import Answer, MandateAnswer, MandateRound


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def ratified(
    group: LeadershipGroup, practice_ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    current = MandateRound.objects.filter(group=group, opened_at__lt=_at(end)).order_by("-number").first()
    if current is None or not practice_ids:
        return {}
    agreed = set(
        MandateAnswer.objects.filter(
            round=current, practice_id__in=practice_ids, is_current=True, answer=Answer.AGREE
        ).values_list("practice_id", flat=True)
    )
    return {pk: (int(pk in agreed), 1) for pk in practice_ids}


engagement.register(engagement.Signal("governance.ratified", "Ratified the mandate", ratified, order=10))
