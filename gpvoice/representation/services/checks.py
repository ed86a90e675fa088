"""What every representation write shares: the refusal, the officer check, text cleaning, locks."""

from __future__ import annotations

from typing import Any

from gpvoice.core import rules
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from ..models import Forum, ForumMeeting, Seat


class RepresentationError(Exception):
    """A refusal; the message is fit to show the person who asked."""


class ConflictsFound(RepresentationError):
    """The appointment check found something: the officer may proceed, giving a reason."""

    def __init__(self, findings: list[str]) -> None:
        self.findings = findings
        super().__init__("The check found: " + " ".join(findings) + " Give a reason to appoint anyway.")


def require_officer(group: LeadershipGroup, actor: Any) -> None:
    rules.require_officer(group, actor, refuse=RepresentationError)


def clean_text(value: Any, *, label: str, limit: int, required: bool = True) -> str:
    """Text a person wrote, stripped; NUL bytes and overlong text are refused, not trimmed."""
    text = str(value or "").strip()
    if "\x00" in text:
        raise RepresentationError(f"{label} contains a character that cannot be stored; remove it.")
    if required and not text:
        raise RepresentationError(f"Enter {label.lower()}.")
    if len(text) > limit:
        raise RepresentationError(f"{label} must be {limit:,} characters or fewer; it has {len(text):,}.")
    return text


def lock_forum(forum: Forum) -> Forum:
    # One writer per forum at a time: seats, meetings and their records are numbered under it.
    return lock_row(Forum.objects.select_related("group", "organiser"), pk=forum.pk)


def lock_seat(seat: Seat) -> Seat:
    # Appointments to one seat are made one at a time: who holds it is read and changed under this lock.
    return lock_row(Seat.objects.select_related("forum__group", "forum__organiser"), pk=seat.pk)


def lock_meeting(meeting: ForumMeeting) -> ForumMeeting:
    # The briefing and report-back of one forum meeting are written one at a time.
    return lock_row(ForumMeeting.objects.select_related("forum__group"), pk=meeting.pk)
