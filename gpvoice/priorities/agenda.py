"""What priority setting offers a meeting's agenda: workstream updates since the last meeting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from gpvoice.core import agenda
from gpvoice.core.models import LeadershipGroup

from .models import AdoptedPriority, DeliveryStatus

LIMIT = 50
FIRST_LOOK_BACK = timedelta(days=90)


def updated_since(group: LeadershipGroup, since: datetime | None) -> Iterable[agenda.Offer]:
    """One item per adopted priority with an update since the last meeting (not one per update)."""
    since = since or timezone.now() - FIRST_LOOK_BACK
    found = (
        AdoptedPriority.objects.filter(round__group=group, updates__created_at__gte=since)
        .distinct()
        .order_by("rank", "id")
        .only("title", "status", "round_id")[:LIMIT]
    )
    for priority in found:
        yield agenda.Offer(
            source="priorities.priority",
            ref=f"{priority.pk}:{since.date().isoformat()}",
            title=f"Priority update: {priority.title} ({DeliveryStatus(priority.status).label.lower()})",
            href=reverse("priorities:priority", args=[group.slug, priority.round_id, priority.pk]),
            heading="Priority workstream updates",
        )


def register() -> None:
    agenda.register("priorities.priority", updated_since)
