"""What meetings offers its own agendas: actions still open, carried forward until done."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from gpvoice.core import agenda
from gpvoice.core.formats import day
from gpvoice.core.models import LeadershipGroup

from . import selectors

LIMIT = 200


def open_actions(group: LeadershipGroup, since: datetime | None) -> Iterable[agenda.Offer]:
    today = timezone.localdate()
    for action in selectors.open_actions(group=group)[:LIMIT]:
        late = " – overdue" if action.due_on < today else ""
        yield agenda.Offer(
            source="meetings.action",
            ref=str(action.pk),
            title=f"Action: {action.description} ({action.owner.full_name}, due {day(action.due_on)}{late})",
            href=reverse("meetings:detail", args=[group.slug, action.item.meeting_id]),
            heading="Actions carried forward",
        )


agenda.register("meetings.action", open_actions)
