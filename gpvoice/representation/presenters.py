"""What representation pages show: cells ready for the shared table macro, dates in words, tags.
Templates compare no roles and format no dates."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from gpvoice.core.formats import day, short_day

from .models import Forum, ForumMeeting, Holder, Position, PositionStatus, Seat, SeatAppointment

Cell = dict[str, Any]

POSITION_TAGS = {
    PositionStatus.CURRENT: "nhsuk-tag--green",
    PositionStatus.UNDER_REVIEW: "nhsuk-tag--yellow",
    PositionStatus.WITHDRAWN: "nhsuk-tag--grey",
}


def text(value: Any) -> Cell:
    return {"text": str(value)}


def link(value: Any, href: str) -> Cell:
    return {"text": str(value), "href": href}


def tag(value: str, classes: str) -> Cell:
    return {"tag": value, "classes": classes}


def forum_row(forum: Forum, slug: str) -> list[Cell]:
    return [
        link(forum.name, reverse("representation:forum", args=[slug, forum.pk])),
        text(forum.organiser.name),
        text(forum.get_cadence_display()),
        text(forum.topics or "–"),
    ]


def holder_cell(appointment: SeatAppointment | None) -> Cell:
    if appointment is None:
        return tag("Vacant", "nhsuk-tag--red")
    flags = " (system role)" if appointment.system_role else ""
    return text(f"{appointment.person.full_name}{flags}, until {short_day(appointment.term_ends_on)}")


def seat_row(seat: Seat, held: dict[str, SeatAppointment], can_manage: bool, slug: str) -> list[Cell]:
    title: Cell = (
        link(seat.title, reverse("representation:seat", args=[slug, seat.pk]))
        if can_manage
        else text(seat.title)
    )
    return [title, holder_cell(held.get(Holder.REPRESENTATIVE)), holder_cell(held.get(Holder.DEPUTY))]


def meeting_row(meeting: ForumMeeting, slug: str) -> list[Cell]:
    today = timezone.localdate()
    if meeting.cancelled:
        state = tag("Cancelled", "nhsuk-tag--grey")
    elif meeting.has_report:  # type: ignore[attr-defined]
        state = tag("Reported back", "nhsuk-tag--green")
    elif meeting.on > today:
        state = tag("Briefed" if meeting.has_briefing else "Ahead", "nhsuk-tag--blue")  # type: ignore[attr-defined]
    elif meeting.report_due_on < today:
        state = tag("Report-back overdue", "nhsuk-tag--red")
    else:
        state = tag("Report-back due", "nhsuk-tag--yellow")
    return [link(day(meeting.on), reverse("representation:meeting", args=[slug, meeting.pk])), state]


def position_status(position: Position) -> Cell:
    if position.status == PositionStatus.CURRENT and position.review_on < timezone.localdate():
        return tag("Past review", "nhsuk-tag--red")
    return tag(PositionStatus(position.status).label, POSITION_TAGS[PositionStatus(position.status)])


def position_row(position: Position, slug: str) -> list[Cell]:
    return [
        link(position.topic, reverse("representation:position", args=[slug, position.pk])),
        text(position.statement[:200]),
        text(position.basis_label),
        text(short_day(position.review_on)),
        position_status(position),
        text("Published" if position.published else "Internal"),
    ]


def missing_briefing_row(meeting: ForumMeeting, slug: str) -> list[Cell]:
    return [
        link(
            f"{meeting.forum.name}, {day(meeting.on)}",
            reverse("representation:meeting", args=[slug, meeting.pk]),
        ),
        text(f"due {day(meeting.briefing_due_on)}"),
    ]


def awaited_report_row(meeting: ForumMeeting, slug: str) -> list[Cell]:
    overdue = meeting.report_due_on < timezone.localdate()
    return [
        link(
            f"{meeting.forum.name}, {day(meeting.on)}",
            reverse("representation:meeting", args=[slug, meeting.pk]),
        ),
        tag(f"Overdue since {short_day(meeting.report_due_on)}", "nhsuk-tag--red")
        if overdue
        else text(f"due {day(meeting.report_due_on)}"),
    ]


def seat_gap_row(seat: Seat) -> list[Cell]:
    return [text(seat.forum.name), text(seat.title)]


def term_row(a: SeatAppointment) -> list[Cell]:
    return [
        text(a.seat.forum.name),
        text(a.seat.title),
        text(a.get_holder_display()),
        text(a.person.full_name),
        text(day(a.term_ends_on)),
    ]


def record_values(a: Any) -> list[str]:
    return [
        a.person.full_name,
        a.get_holder_display(),
        a.seat.forum.name,
        a.seat.title,
        "yes" if a.system_role else "no",
        str(a.held),
        str(a.briefed),
        str(a.reported),
        str(a.overdue),
        a.term_ends_on.isoformat(),
    ]


RECORD_HEAD = [
    "Person",
    "As",
    "Forum",
    "Seat",
    "System role",
    "Meetings held",
    "Briefed",
    "Reported back",
    "Overdue",
    "Term ends",
]


def record_row(a: Any) -> list[Cell]:
    return [text(v) for v in record_values(a)]
