"""Calling meetings, apologies, attendance, holding and cancelling, and the group's meeting settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import agenda as registry
from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import OFFICER_ROLES, LeadershipGroup
from gpvoice.directory.models import Person

from .. import notices
from ..models import PLACE_MAX, TITLE_MAX, Body, Invitation, Meeting, MeetingSettings, MeetingStatus
from .checks import (
    MeetingError,
    actor_person_id,
    clean_text,
    lock_meeting,
    require_officer,
    require_status,
)

LONGEST = timedelta(hours=12)
FURTHEST = timedelta(days=3 * 365)


def _invitees(group: LeadershipGroup, body: str) -> list[tuple[int, str, bool]]:
    """(person id, status, counts for quorum): the roll for a group meeting; the officers who are
    people in the directory for an executive meeting."""
    if body == Body.EXECUTIVE:
        ids = Person.objects.filter(
            user__memberships__group=group, user__memberships__role__in=OFFICER_ROLES
        ).values_list("pk", flat=True)
        return [(pk, "executive", True) for pk in ids]
    return [(pk, status, status == "core") for pk, status in registry.roll(group)]


def _when(starts_at: Any, ends_at: Any) -> tuple[datetime, datetime]:
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise MeetingError("Enter when the meeting starts and ends.")
    now = timezone.now()
    if starts_at <= now:
        raise MeetingError("The meeting must start in the future.")
    if starts_at > now + FURTHEST:
        raise MeetingError("Call meetings at most three years ahead.")
    if ends_at <= starts_at:
        raise MeetingError("The meeting must end after it starts.")
    if ends_at - starts_at > LONGEST:
        raise MeetingError("A meeting can last at most 12 hours.")
    return starts_at, ends_at


def _video(link: Any) -> str:
    link = clean_text(link, name="The video link", limit=500, required=False)
    if link and not link.startswith("https://"):
        raise MeetingError("The video link must start with https://")
    return link


@transaction.atomic
def meeting_create(
    *,
    group: LeadershipGroup,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    actor: Any,
    body: str = Body.GROUP,
    place: str = "",
    video_link: str = "",
    chair: Person | None = None,
    notify: bool = True,
) -> Meeting:
    """Call a meeting: its invitees are taken from the roll now (or the executive), and invited."""
    # The group row: one meeting called at a time per group, so the roll is read once, consistently.
    group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
    require_officer(group, actor)
    if body not in Body.values:
        raise MeetingError("Choose a group meeting or an executive meeting.")
    title = clean_text(title, name="The title", limit=TITLE_MAX)
    place = clean_text(place, name="The place", limit=PLACE_MAX, required=False)
    video_link = _video(video_link)
    starts_at, ends_at = _when(starts_at, ends_at)
    invitees = _invitees(group, body)
    if chair is not None and chair.pk not in {pk for pk, _, _ in invitees}:
        raise MeetingError("Choose a chair from the people invited.")
    meeting = Meeting.objects.create(
        group=group,
        body=body,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        chair=chair,
        created_by=actor,
    )
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, person_id=pk, status=status, counts_for_quorum=counts)
        for pk, status, counts in invitees
    )
    if notify:
        notices.invite(meeting)
    audit.record(
        action="meetings.meeting.called",
        actor=actor,
        group=group,
        obj=meeting,
        data={"title": title, "body": body, "starts_at": starts_at, "invitees": len(invitees)},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: Any) -> Meeting:
    meeting = lock_meeting(meeting)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, doing="cancel it")
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    notices.cancel(meeting)
    audit.record(action="meetings.meeting.cancelled", actor=actor, group=meeting.group, obj=meeting)
    return meeting


@transaction.atomic
def meeting_hold(*, meeting: Meeting, actor: Any, now: datetime | None = None) -> Meeting:
    """Mark a planned meeting as held, once it has started."""
    meeting = lock_meeting(meeting)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, doing="mark it held")
    if meeting.starts_at > (now or timezone.now()):
        raise MeetingError("A meeting is marked held once it has started.")
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    audit.record(action="meetings.meeting.held", actor=actor, group=meeting.group, obj=meeting)
    return meeting


@transaction.atomic
def apologies_send(
    *, meeting: Meeting, person: Person, actor: Any, now: datetime | None = None
) -> Invitation:
    """Apologies before the meeting, from the invitee themselves or recorded by an officer."""
    meeting = lock_meeting(meeting)
    if actor_person_id(actor) != person.pk:
        require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, doing="send apologies")
    if meeting.starts_at <= (now or timezone.now()):
        raise MeetingError("Apologies are sent before the meeting starts.")
    invitation = Invitation.objects.filter(meeting=meeting, person=person).first()
    if invitation is None:
        raise MeetingError("Only people invited to the meeting send apologies for it.")
    if invitation.apologies_at is None:
        invitation.apologies_at = now or timezone.now()
        invitation.save(update_fields=["apologies_at"])
        audit.record(
            action="meetings.apologies.sent",
            actor=actor,
            group=meeting.group,
            obj=meeting,
            data={"person": person.full_name},
        )
    return invitation


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: list[int], actor: Any) -> int:
    """Who attended a held meeting (invitation ids); everyone else did not. Returns how many attended."""
    meeting = lock_meeting(meeting)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.HELD, doing="record attendance")
    if meeting.minutes_approved_at is not None:
        raise MeetingError("The minutes are approved, so the attendance cannot change.")
    invitations = Invitation.objects.filter(meeting=meeting)
    wanted = {int(pk) for pk in present}
    known = set(invitations.values_list("pk", flat=True))
    if wanted - known:
        raise MeetingError("Choose attendees from the people invited to this meeting.")
    invitations.update(attended=False)
    attended = invitations.filter(pk__in=wanted).update(attended=True)
    audit.record(
        action="meetings.attendance.recorded",
        actor=actor,
        group=meeting.group,
        obj=meeting,
        data={"attended": attended},
    )
    return attended


@transaction.atomic
def meeting_settings_update(
    *, group: LeadershipGroup, quorum_num: int, quorum_den: int, observers_see_papers: bool, actor: Any
) -> MeetingSettings:
    group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)  # one settings row, created once
    require_officer(group, actor)
    if (
        not (isinstance(quorum_num, int) and isinstance(quorum_den, int))
        or not 0 < quorum_num <= quorum_den <= 100
    ):
        raise MeetingError(
            "The quorum must be a share: a number of parts from 1 up to the whole, out of at most 100."
        )
    found, _ = MeetingSettings.objects.update_or_create(
        group=group,
        defaults={
            "quorum_num": quorum_num,
            "quorum_den": quorum_den,
            "observers_see_papers": observers_see_papers,
        },
    )
    audit.record(
        action="meetings.settings.changed",
        actor=actor,
        group=group,
        obj=found,
        data={"quorum": f"{quorum_num}/{quorum_den}", "observers_see_papers": observers_see_papers},
    )
    return found
