"""Emails about meetings, queued in the outbox with the meeting's .ics attached (jobs.mail)."""

from __future__ import annotations

from gpvoice.core.formats import when
from gpvoice.jobs.mail import queue_email

from . import calendar
from .models import Invitation, Meeting


def _send(meeting: Meeting, *, kind: str, subject: str, body: str) -> int:
    ics = calendar.invitation(meeting)
    addresses = (
        Invitation.objects.filter(meeting=meeting)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    sent = 0
    for address in addresses:
        key = f"meeting-{kind}:{meeting.pk}:{meeting.sequence}:{address}"
        queue_email(key=key, to=[address], subject=subject, body=body, calendar=ics)
        sent += 1
    return sent


def invite(meeting: Meeting) -> int:
    where = meeting.place or meeting.video_link or "to be confirmed"
    body = (
        f"You are invited to {meeting.title} of {meeting.group.name}, on {when(meeting.starts_at)}.\n"
        f"Where: {where}\n\nThe invitation is attached; add it to your calendar."
    )
    return _send(meeting, kind="invite", subject=f"Invitation: {meeting.title}", body=body)


def cancel(meeting: Meeting) -> int:
    body = (
        f"{meeting.title} of {meeting.group.name}, on {when(meeting.starts_at)}, is cancelled.\n"
        "The attached cancellation removes it from your calendar."
    )
    return _send(meeting, kind="cancel", subject=f"Cancelled: {meeting.title}", body=body)
