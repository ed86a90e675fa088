"""Report-backs after forum meetings: filed, offered to the group's agenda and noted; chased once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.formats import day
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.jobs.mail import queue_email

from .. import selectors
from ..models import TEXT_MAX, ForumMeeting, Held, ReportBack
from .briefings import require_officer_or_holder
from .checks import RepresentationError, clean_text, lock_meeting

CHASE_PER_RUN = 200


def report_back_file(
    *,
    meeting: ForumMeeting,
    attended: bool,
    discussed: str,
    decisions: str = "",
    asks: str = "",
    positions_held: str,
    held_notes: str = "",
    actor: Any,
) -> ReportBack:
    """The representative (or deputy, or an officer for them) reports what happened; once."""
    with transaction.atomic():
        meeting = lock_meeting(meeting)
        require_officer_or_holder(meeting, actor)
        if meeting.cancelled:
            raise RepresentationError("That forum meeting was cancelled: there is nothing to report.")
        if meeting.on > timezone.localdate():
            raise RepresentationError(
                f"A report-back is filed after the meeting, on or after {day(meeting.on)}."
            )
        if ReportBack.objects.filter(meeting=meeting).exists():
            raise RepresentationError("A report-back has already been filed for this meeting.")
        if positions_held not in Held.values:
            raise RepresentationError("Say whether general practice's positions were held.")
        texts = {
            "discussed": clean_text(discussed, label="What was discussed", limit=TEXT_MAX),
            "decisions": clean_text(decisions, label="Decisions taken", limit=TEXT_MAX, required=False),
            "asks": clean_text(asks, label="Asks of practices", limit=TEXT_MAX, required=False),
            "held_notes": clean_text(held_notes, label="Notes on positions", limit=TEXT_MAX, required=False),
        }
        if positions_held in (Held.PARTLY, Held.NOT_HELD) and not texts["held_notes"]:
            raise RepresentationError("Say which positions were not held, and why.")
        person = (
            selectors.person_of(user=actor)
            if selectors.holds_seat_at(user=actor, forum=meeting.forum)
            else None
        )
        report = ReportBack.objects.create(
            meeting=meeting,
            person=person or selectors.briefed_person(forum=meeting.forum),
            attended=bool(attended),
            positions_held=positions_held,
            filed_by=actor if getattr(actor, "is_authenticated", False) else None,
            **texts,
        )
        audit.record(
            action="representation.report.filed",
            actor=actor,
            group=meeting.forum.group,
            obj=report,
            data={"meeting": meeting.pk, "forum": meeting.forum.name, "positions_held": positions_held},
        )
    return report


def report_back_note(*, group: LeadershipGroup, ref: str, actor: Any) -> ReportBack:
    """The group notes a report-back at one of its meetings (the agenda's noting handler)."""
    with transaction.atomic():
        rules.require_officer(group, actor, refuse=RepresentationError)
        pk = int(ref) if str(ref).isascii() and str(ref).isdigit() and len(str(ref)) < 10 else None
        if pk is None or not ReportBack.objects.filter(pk=pk, meeting__forum__group=group).exists():
            raise RepresentationError("That report-back is not one of this group's.")
        # One noting at a time per report-back.
        report = lock_row(ReportBack.objects.select_related("meeting__forum"), pk=pk)
        if report.noted_at is not None:
            raise RepresentationError("That report-back has already been noted.")
        report.noted_at = timezone.now()
        report.save(update_fields=["noted_at"])
        audit.record(action="representation.report.noted", actor=actor, group=group, obj=report)
    return report


def _chase(meeting: ForumMeeting, now: datetime) -> bool:
    with transaction.atomic():
        # Compare-and-swap: each overdue report-back is chased once, whichever worker gets there first.
        won = ForumMeeting.objects.filter(pk=meeting.pk, report_chased_at__isnull=True).update(
            report_chased_at=now
        )
        if won != 1:
            return False
        group = meeting.forum.group
        link = settings.SITE_URL.rstrip("/") + reverse("representation:report", args=[group.slug, meeting.pk])
        addresses = sorted(selectors.holder_emails(forum=meeting.forum))
        if addresses:
            queue_email(
                key=f"rep-chase:{meeting.pk}",
                to=addresses,
                subject=f"Report-back overdue: {meeting.forum.name}, {day(meeting.on)}",
                body=(
                    f"The report-back from {meeting.forum.name} on {day(meeting.on)} was due on "
                    f"{day(meeting.report_due_on)}. Please file it for practices: {link}\n"
                ),
            )
        audit.record(
            action="representation.report.chased",
            actor=rules.SYSTEM,
            group=group,
            obj=meeting,
            data={"to": addresses},
        )
    return True


def report_backs_chase(*, now: datetime | None = None) -> int:
    """The scheduled job: every overdue report-back chased by email, each once."""
    now = now or timezone.now()
    due = selectors.overdue_reports(on=timezone.localdate(now)).filter(report_chased_at__isnull=True)
    return sum(_chase(meeting, now) for meeting in due[:CHASE_PER_RUN])
