"""Attaching papers to agenda items: checked by content, stored through Django's file storage."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from gpvoice.core import audit

from .. import papers
from ..models import AgendaItem, MeetingStatus, Paper
from .checks import MeetingError, lock_item, require_officer, require_status


def read_upload(upload: Any) -> tuple[str, bytes]:
    """The upload's name and at most one byte more than the limit (so an oversized file is known)."""
    if upload is None or not hasattr(upload, "read"):
        raise MeetingError("Choose a file to attach.")
    return str(getattr(upload, "name", "") or ""), upload.read(papers.MAX_BYTES + 1)


@transaction.atomic
def paper_attach(*, item: AgendaItem, name: str, data: bytes, actor: Any) -> Paper:
    item, meeting = lock_item(item)
    require_officer(meeting.group, actor)
    require_status(meeting, MeetingStatus.PLANNED, MeetingStatus.HELD, doing="attach papers")
    if meeting.minutes_approved_at is not None:
        raise MeetingError("The minutes are approved, so the meeting's papers are final.")
    try:
        checked = papers.check(name, data)
    except papers.NotAPaper as refusal:
        raise MeetingError(str(refusal)) from refusal
    paper = Paper(
        item=item,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=actor,
    )
    paper.file.save(checked.name, ContentFile(checked.data), save=False)
    paper.save()
    audit.record(
        action="meetings.paper.attached",
        actor=actor,
        group=meeting.group,
        obj=paper,
        data={"item": item.title, "name": checked.name, "size": paper.size},
    )
    return paper
