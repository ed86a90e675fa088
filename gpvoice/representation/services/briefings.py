"""Briefings before forum meetings: items to raise, the briefing sent to the representative, read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.formats import day
from gpvoice.core.markdown import plain, render
from gpvoice.core.selectors import membership_in
from gpvoice.jobs.mail import queue_email

from .. import briefing, selectors
from ..models import Briefing, BriefingItem, ForumMeeting, ItemKind
from .checks import RepresentationError, clean_text, lock_meeting

ITEM_MAX = 2_000
DUE_PER_RUN = 200


def require_officer_or_holder(meeting: ForumMeeting, actor: Any) -> None:
    """Officers, and whoever holds a seat at the meeting's forum now, may write its records."""
    group = meeting.forum.group
    if rules.is_system(actor):
        return
    membership = membership_in(user=actor, group=group)
    if membership is None:
        raise RepresentationError(f"Only members of {group.name} can do this.")
    if rules.is_officer(membership) or selectors.holds_seat_at(user=actor, forum=meeting.forum):
        return
    raise RepresentationError(
        f"Only the officers and the representatives at {meeting.forum.name} can do this."
    )


def briefing_item_add(*, meeting: ForumMeeting, kind: str, text: str, actor: Any) -> BriefingItem:
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        require_officer_or_holder(meeting, actor)
        if meeting.cancelled or meeting.on < timezone.localdate():
            raise RepresentationError(
                "Items are added before the meeting; this one has passed or is cancelled."
            )
        if kind not in ItemKind.values:
            raise RepresentationError("Choose ask for, resist or raise.")
        text = clean_text(text, label="The item", limit=ITEM_MAX)
        item = BriefingItem.objects.create(meeting=meeting, kind=kind, text=text, added_by=actor)
        audit.record(
            action="representation.briefing.item_added",
            actor=actor,
            group=meeting.forum.group,
            obj=item,
            data={"meeting": meeting.pk, "kind": kind},
        )
    return item


def _email(meeting: ForumMeeting, text: str, address: str, sent_at: datetime) -> None:
    group = meeting.forum.group
    link = settings.SITE_URL.rstrip("/") + reverse("representation:meeting", args=[group.slug, meeting.pk])
    subject = f"Briefing: {meeting.forum.name}, {day(meeting.on)}"
    queue_email(
        key=f"rep-briefing:{meeting.pk}:{sent_at.isoformat()}:{address}",
        to=[address],
        subject=subject,
        body=f"{plain(text)}\n\nThe briefing online: {link}\n",
        html=str(render(text)),
    )


def briefing_send(*, meeting: ForumMeeting, actor: Any, again: bool = True) -> Briefing:
    """Send (or, with ``again``, send again after new items) the briefing to the seat holder."""
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        group = meeting.forum.group
        rules.require_officer(group, actor, refuse=RepresentationError)
        if not again and Briefing.objects.filter(meeting=meeting).exists():
            raise RepresentationError("The briefing for this meeting has already been sent.")
        if meeting.cancelled or meeting.on < timezone.localdate():
            raise RepresentationError(
                "A briefing is sent before the meeting; this one has passed or is cancelled."
            )
        person = selectors.briefed_person(forum=meeting.forum)
        if person is None:
            raise RepresentationError(
                f"No one holds a seat at {meeting.forum.name}: appoint a representative first."
            )
        text = briefing.compose(
            meeting,
            selectors.relevant_positions(forum=meeting.forum),
            selectors.briefing_items(meeting=meeting),
        )
        now = timezone.now()
        found, _ = Briefing.objects.update_or_create(
            meeting=meeting, defaults={"person": person, "text": text, "sent_at": now, "read_at": None}
        )
        if person.email:
            _email(meeting, text, person.email, now)
        audit.record(
            action="representation.briefing.sent",
            actor=actor,
            group=group,
            obj=found,
            data={"meeting": meeting.pk, "to": person.full_name},
        )
    return found


def briefings_send_due(*, now: datetime | None = None) -> int:
    """The scheduled job: every briefing now due and not yet sent, sent once."""
    sent = 0
    for meeting in selectors.briefings_due(on=timezone.localdate(now))[:DUE_PER_RUN]:
        try:
            briefing_send(meeting=meeting, actor=rules.SYSTEM, again=False)  # sent once, under the lock
        except (RepresentationError, IntegrityError):
            continue  # no one to brief yet (the coverage view shows it), or another worker sent it
        sent += 1
    return sent


def briefing_read(*, briefing: Briefing, actor: Any) -> bool:
    """The briefed person opened it: marked read once (other readers change nothing)."""
    if briefing.read_at is not None or briefing.person.user_id != getattr(actor, "pk", None):
        return False
    with transaction.atomic():
        # Compare-and-swap: two tabs opened at once mark it read once.
        marked = Briefing.objects.filter(pk=briefing.pk, read_at__isnull=True).update(read_at=timezone.now())
        if marked != 1:
            return False
        audit.record(
            action="representation.briefing.read",
            actor=actor,
            group=briefing.meeting.forum.group,
            obj=briefing,
        )
    return True
