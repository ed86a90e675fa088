"""What meetings tell the engagement view (core.engagement): which practices' people attended.

Each invitation to a meeting held in the period counts for every footprint practice where the person
invited holds a current appointment: asked once, took part when they attended.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from gpvoice.core import engagement
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Appointment

from .models import Invitation, MeetingStatus


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def attended(
    group: LeadershipGroup, practice_ids: Sequence[int], start: date, end: date
) -> dict[int, tuple[int, int]]:
    if not practice_ids:
        return {}
    today = timezone.localdate()
    at: dict[int, list[int]] = defaultdict(list)
    appointments = Appointment.objects.filter(organisation_id__in=practice_ids, start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    for person_id, practice_id in appointments.values_list("person_id", "organisation_id").distinct():
        at[person_id].append(practice_id)
    if not at:
        return {}
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    invitations = Invitation.objects.filter(
        meeting__group=group,
        meeting__status=MeetingStatus.HELD,
        meeting__starts_at__gte=_at(start),
        meeting__starts_at__lt=_at(end),
        person_id__in=list(at),
    ).values_list("person_id", "attended")
    for person_id, was_there in invitations:
        for practice_id in at[person_id]:
            found[practice_id][0] += int(was_there)
            found[practice_id][1] += 1
    return {pk: (took, asked) for pk, (took, asked) in found.items()}


engagement.register(engagement.Signal("meetings.attended", "Attended meetings", attended, order=50))
