"""What meeting pages show: formatted dates, tags and macro-ready rows; templates compare no roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from gpvoice.core.formats import day, short_day, short_when, when
from gpvoice.directory.models import Declaration

from . import selectors
from .models import Action, ActionStatus, AgendaItem, Invitation, Meeting, MeetingDecision, MeetingStatus
from .quorum import Quorum

STATUS_TAGS = {
    MeetingStatus.PLANNED: "nhsuk-tag--blue",
    MeetingStatus.HELD: "nhsuk-tag--green",
    MeetingStatus.CANCELLED: "nhsuk-tag--grey",
}


def status_tag(meeting: Meeting) -> dict[str, str]:
    return {
        "text": MeetingStatus(meeting.status).label,
        "classes": STATUS_TAGS[MeetingStatus(meeting.status)],
    }


def list_row(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "href": reverse("meetings:detail", args=[meeting.group.slug, meeting.pk]),
        "body": meeting.get_body_display(),
        "when": short_when(meeting.starts_at),
        "tag": status_tag(meeting),
    }


def summary(meeting: Meeting, quorum: Quorum) -> list[dict[str, Any]]:
    rows = [
        ("Meeting", meeting.get_body_display()),
        (
            "When",
            f"{when(meeting.starts_at)} to {meeting.ends_at.astimezone(meeting.starts_at.tzinfo):%H:%M}",
        ),
        ("Place", meeting.place or "Not set"),
        ("Video link", meeting.video_link or "None"),
        ("Chair", meeting.chair.full_name if meeting.chair else "Not chosen"),
        ("Status", MeetingStatus(meeting.status).label),
        (
            "Quorum",
            quorum.text
            if meeting.status == MeetingStatus.HELD
            else f"{quorum.needed} of {quorum.counted} needed.",
        ),
    ]
    if meeting.minutes_approved_at:
        rows.append(("Minutes", f"Approved on {day(meeting.minutes_approved_at)}"))
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def invitee_rows(invitations: list[Invitation], *, held: bool) -> list[list[dict[str, str]]]:
    rows = []
    for inv in invitations:
        if held:
            state = "Attended" if inv.attended else ("Apologies" if inv.apologies_at else "Absent")
        else:
            state = "Apologies sent" if inv.apologies_at else "Invited"
        rows.append([{"text": inv.person.full_name}, {"text": inv.status.capitalize()}, {"text": state}])
    return rows


@dataclass
class ItemView:
    number: int
    item: AgendaItem
    declarations: list[Declaration] = field(default_factory=list)
    viewer: int | None = None  # the viewer's person id: an action's owner updates it
    manages: bool = False

    @property
    def minutes_text(self) -> str:
        minutes = getattr(self.item, "minutes", None)
        if minutes is None:
            return ""
        corrections = list(minutes.corrections.all())
        return corrections[-1].text if corrections else minutes.text

    @property
    def corrections(self) -> list[Any]:
        minutes = getattr(self.item, "minutes", None)
        return list(minutes.corrections.all()) if minutes is not None else []

    @property
    def version(self) -> int:
        minutes = getattr(self.item, "minutes", None)
        return minutes.version if minutes is not None else 0

    @property
    def time_text(self) -> str:
        return f"{self.item.minutes_allowed} minutes" if self.item.minutes_allowed else ""

    @property
    def noted_text(self) -> str:
        return f"Noted on {day(self.item.noted_at)}" if self.item.noted_at else ""

    @property
    def papers(self) -> list[dict[str, str]]:
        meeting = self.item.meeting
        return [
            {
                "name": p.name,
                "size": f"{max(1, p.size // 1024):,} KB",
                "href": reverse("meetings:paper", args=[meeting.group.slug, meeting.pk, p.pk]),
            }
            for p in self.item.papers.all()
        ]

    @property
    def interests(self) -> list[dict[str, str]]:
        return [
            {
                "person": i.person.full_name,
                "nature": i.nature,
                "withdrew": "withdrew" if i.withdrew else "stayed",
            }
            for i in self.item.interests.all()
        ]

    @property
    def decisions(self) -> list[dict[str, str]]:
        return [
            {"text": d.text, "flag": "" if d.quorate else "Taken without a quorum", **decision_basis(d)}
            for d in self.item.decisions.all()
        ]

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [
            {
                **action_row(a),
                "can_update": self.manages or (self.viewer is not None and a.owner_id == self.viewer),
            }
            for a in self.item.actions.all()
        ]


def ballot_choice(ballot: Any) -> dict[str, str]:
    """A ballot a decision may rest on, by its number (what the officer types) and title."""
    return {"value": str(ballot.pk), "text": selectors.ballot_label(ballot)}


def decision_basis(decision: MeetingDecision) -> dict[str, str]:
    """What the decision rests on: a ballot (with a link to it) or a show of hands, as words."""
    if decision.ballot is not None:
        ballot = decision.ballot
        return {
            "basis": f"By ballot: {ballot.title}",
            "basis_href": reverse("ballots:detail", args=[ballot.group.slug, ballot.pk]),
        }
    if decision.has_hands:
        return {
            "basis": f"Show of hands: {decision.hands_for} for, {decision.hands_against} against, "
            f"{decision.hands_abstain} abstaining",
            "basis_href": "",
        }
    return {"basis": "", "basis_href": ""}


def items(
    rows: list[AgendaItem],
    declarations: dict[int, list[Declaration]],
    *,
    viewer: int | None = None,
    manages: bool = False,
) -> list[ItemView]:
    return [
        ItemView(
            number=n,
            item=item,
            declarations=declarations.get(item.organisation_id or 0, []),
            viewer=viewer,
            manages=manages,
        )
        for n, item in enumerate(rows, start=1)
    ]


def action_row(action: Action) -> dict[str, Any]:
    from django.utils import timezone

    overdue = action.status == ActionStatus.OPEN and action.due_on < timezone.localdate()
    return {
        "id": action.pk,
        "description": action.description,
        "owner": action.owner.full_name,
        "due": short_day(action.due_on),
        "status": ActionStatus(action.status).label + (" (overdue)" if overdue else ""),
        "choices": [
            {"value": value, "text": label, "selected": value == action.status}
            for value, label in ActionStatus.choices
        ],
        "overdue": overdue,
    }
