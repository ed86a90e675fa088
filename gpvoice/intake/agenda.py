"""What the single point of access offers a meeting's agenda: requests referred to the group."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse

from gpvoice.core import agenda
from gpvoice.core.models import LeadershipGroup

from .models import OPEN_STATUSES, AccessRequest

LIMIT = 100


def referred(group: LeadershipGroup, since: datetime | None) -> Iterable[agenda.Offer]:
    """Open requests referred (or escalated) to the group's next meeting."""
    found = (
        AccessRequest.objects.filter(group=group, referred_at__isnull=False, status__in=OPEN_STATUSES)
        .order_by("referred_at", "id")
        .only("reference", "subject", "organisation_id", "organisation_name")[:LIMIT]
    )
    for request in found:
        yield agenda.Offer(
            source="intake.request",
            ref=request.reference,
            title=f"Request {request.reference}: {request.subject} ({request.organisation_name})",
            href=reverse("intake:detail", args=[group.slug, request.reference]),
            heading="Requests referred to the group",
            organisation_id=request.organisation_id,
        )


def register() -> None:
    agenda.register("intake.request", referred)
