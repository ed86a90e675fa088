"""The agenda: drafted from what the registered sources say is due, then ordered and timed by the chair."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gpvoice.core import agenda as registry
from gpvoice.core import audit

from .. import selectors
from ..models import TITLE_MAX, AgendaItem, Meeting, MeetingStatus
from .checks import MeetingError, clean_text, lock_item, lock_meeting, require_officer, require_status

LONGEST_ITEM = 240


def _next_position(meeting: Meeting) -> int:
    return (AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def agenda_draft(*, meeting: Meeting, actor: Any) -> int:
    """Add to the agenda everything now due (once each); returns how many items were added."""
    meeting = lock_meeting(meeting)  # two officers drafting at once add each item once
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, doing="draft its agenda")
    since = selectors.previous_held_start(meeting=meeting)
    have = set(
        AgendaItem.objects.filter(meeting=meeting).exclude(source="").values_list("source", "source_ref")
    )
    position = _next_position(meeting)
    new: list[AgendaItem] = []
    for offer in registry.offers(meeting.group, since):
        if (offer.source, offer.ref) in have:
            continue
        have.add((offer.source, offer.ref))
        new.append(
            AgendaItem(
                meeting=meeting,
                position=position + len(new),
                title=offer.title[:TITLE_MAX],
                heading=offer.heading[:60],
                source=offer.source,
                source_ref=offer.ref,
                href=offer.href[:500],
                notable=offer.notable and registry.can_note(offer.source),
                organisation_id=offer.organisation_id,
            )
        )
    AgendaItem.objects.bulk_create(new)
    audit.record(
        action="meetings.agenda.drafted",
        actor=actor,
        group=meeting.group,
        obj=meeting,
        data={"added": len(new), "since": since},
    )
    return len(new)


def _minutes(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, int) or not 1 <= value <= LONGEST_ITEM:
        raise MeetingError(f"Give the time for the item in whole minutes, from 1 to {LONGEST_ITEM}.")
    return value


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, actor: Any, minutes_allowed: int | None = None
) -> AgendaItem:
    meeting = lock_meeting(meeting)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, MeetingStatus.HELD, doing="add to its agenda")
    if meeting.minutes_approved_at is not None:
        raise MeetingError("The minutes are approved, so the agenda cannot change.")
    title = clean_text(title, name="The item", limit=TITLE_MAX)
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=title,
        position=_next_position(meeting),
        minutes_allowed=_minutes(minutes_allowed),
    )
    audit.record(
        action="meetings.agenda.item_added", actor=actor, group=meeting.group, obj=item, data={"title": title}
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: Any) -> None:
    item, meeting = lock_item(item)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, doing="remove items from its agenda")
    if item.actions.exists():
        raise MeetingError("Actions were agreed on this item, so it stays on the agenda.")
    title, pk = item.title, item.pk
    item.delete()
    audit.record(
        action="meetings.agenda.item_removed",
        actor=actor,
        group=meeting.group,
        obj=meeting,
        data={"item": pk, "title": title},
    )


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, actor: Any) -> None:
    """Swap the item with its neighbour above (``up``) or below; at either end nothing moves."""
    item, meeting = lock_item(item)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, doing="reorder its agenda")
    order = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    at = next(i for i, each in enumerate(order) if each.pk == item.pk)
    to = at - 1 if up else at + 1
    if not 0 <= to < len(order):
        return
    order[at], order[to] = order[to], order[at]
    for position, each in enumerate(order, start=1):
        each.position = position
    AgendaItem.objects.bulk_update(order, ["position"])
    audit.record(
        action="meetings.agenda.reordered",
        actor=actor,
        group=meeting.group,
        obj=item,
        data={"title": item.title, "position": to + 1},
    )


@transaction.atomic
def agenda_item_time(*, item: AgendaItem, minutes_allowed: int | None, actor: Any) -> AgendaItem:
    item, meeting = lock_item(item)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, doing="time its agenda")
    item.minutes_allowed = _minutes(minutes_allowed)
    item.save(update_fields=["minutes_allowed"])
    audit.record(
        action="meetings.agenda.timed",
        actor=actor,
        group=meeting.group,
        obj=item,
        data={"minutes": item.minutes_allowed},
    )
    return item


@transaction.atomic
def agenda_item_note(*, item: AgendaItem, actor: Any) -> AgendaItem:
    """At a held meeting, the group notes the item's record (its source's own service does that)."""
    item, meeting = lock_item(item)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.HELD, doing="note items (mark the meeting held first)")
    if not item.notable:
        raise MeetingError("This item is not one the group notes.")
    if item.noted_at is not None:
        raise MeetingError("This item has already been noted.")
    try:
        registry.note(item.source, group=meeting.group, ref=item.source_ref, actor=actor)
    except registry.AgendaRefused as refusal:
        raise MeetingError(str(refusal)) from refusal
    item.noted_at = timezone.now()
    item.save(update_fields=["noted_at"])
    audit.record(
        action="meetings.agenda.noted", actor=actor, group=meeting.group, obj=item, data={"title": item.title}
    )
    return item
