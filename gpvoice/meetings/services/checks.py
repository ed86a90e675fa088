"""What every meetings service shares: its refusal, the locks and the permission checks."""

from __future__ import annotations

from typing import Any

from gpvoice.core import rules, text
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup, Membership

from ..models import AgendaItem, Meeting, MeetingStatus


class MeetingError(Exception):
    """A refusal with a message fit to show the person who asked."""


def lock_meeting(meeting: Meeting) -> Meeting:
    # The meeting row serialises every write to the meeting, its invitations, agenda and minutes:
    # positions are numbered, quorum counted and minutes approved under it.
    return lock_row(Meeting.objects.select_related("group"), pk=meeting.pk)


def lock_item(item: AgendaItem) -> tuple[AgendaItem, Meeting]:
    """The item's meeting locked (see lock_meeting), then the item read fresh under it."""
    meeting = lock_meeting(item.meeting)
    found = AgendaItem.objects.filter(meeting=meeting, pk=item.pk).first()
    if found is None:
        raise MeetingError("That item is no longer on the agenda.")
    return found, meeting


def require_officer(group: LeadershipGroup, actor: Any) -> Membership | None:
    return rules.require_officer(
        group,
        actor,
        message=f"Only the officers of {group.name} (its admins and executive) can manage its meetings.",
        refuse=MeetingError,
    )


def require_member(group: LeadershipGroup, actor: Any) -> Membership | None:
    return rules.require_member(group, actor, refuse=MeetingError)


def require_status(meeting: Meeting, *allowed: MeetingStatus, doing: str) -> None:
    if meeting.status not in allowed:
        state = MeetingStatus(meeting.status).label.lower()
        raise MeetingError(f"You cannot {doing}: the meeting is {state}.")


def clean_text(value: Any, *, name: str, limit: int, required: bool = True) -> str:
    return text.clean_text(value, name=name, limit=limit, required=required, refuse=MeetingError)


def actor_person_id(actor: Any) -> int | None:
    """The directory person behind a signed-in user, if any (None for the system)."""
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    return person.pk if person is not None else None
