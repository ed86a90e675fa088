"""What ballots offer a meeting's agenda: ballots closed since the last meeting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from gpvoice.core import agenda
from gpvoice.core.models import LeadershipGroup

from .models import Ballot, Kind, Status

LIMIT = 100
FIRST_LOOK_BACK = timedelta(days=90)  # before a group's first held meeting


def closed_since(group: LeadershipGroup, since: datetime | None) -> Iterable[agenda.Offer]:
    since = since or timezone.now() - FIRST_LOOK_BACK
    found = (
        Ballot.objects.filter(
            group=group, kind=Kind.BALLOT, status__in=[Status.CLOSED, Status.PUBLISHED], closes_at__gte=since
        )
        .order_by("closes_at", "id")
        .only("title", "status", "closes_at")[:LIMIT]
    )
    for ballot in found:
        yield agenda.Offer(
            source="ballots.ballot",
            ref=str(ballot.pk),
            title=f"Ballot result: {ballot.title}",
            href=reverse("ballots:results", args=[group.slug, ballot.pk]),
            heading="Ballots closed since the last meeting",
        )


def register() -> None:
    agenda.register("ballots.ballot", closed_since)
