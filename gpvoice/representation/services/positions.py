"""The positions register: each agreed position of general practice, with its basis, linked."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from ..models import NAME_MAX, SHORT_MAX, TEXT_MAX, BasisKind, Position, PositionStatus
from .checks import RepresentationError, clean_text, require_officer

REVIEW_WITHIN = timedelta(days=5 * 366)
LINKED = (BasisKind.BALLOT, BasisKind.EXECUTIVE_DECISION, BasisKind.GROUP_DECISION)


def _number(value: Any) -> int | None:
    text = str(value or "").strip().lstrip("#")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _linked(group: LeadershipGroup, kind: str, ref: Any) -> tuple[str, str]:
    """The label and link of a ballot result or decision of this group, from its number."""
    from gpvoice.ballots.models import Ballot, Status
    from gpvoice.governance.models import ExecutiveDecision
    from gpvoice.meetings.models import MeetingDecision

    pk = _number(ref)
    if kind == BasisKind.BALLOT:
        ballot = Ballot.objects.filter(group=group, pk=pk, status=Status.PUBLISHED).first() if pk else None
        if ballot is None:
            raise RepresentationError(
                "Give the number of one of the group's ballots with a published result."
            )
        return f"Ballot result: {ballot.title}", reverse("ballots:results", args=[group.slug, ballot.pk])
    if kind == BasisKind.EXECUTIVE_DECISION:
        decision = ExecutiveDecision.objects.filter(group=group, pk=pk).first() if pk else None
        if decision is None:
            raise RepresentationError("Give the number of one of the group's executive decisions.")
        return f"Executive decision: {decision.title}", reverse("governance:decisions", args=[group.slug])
    found = (
        MeetingDecision.objects.filter(item__meeting__group=group, pk=pk)
        .select_related("item__meeting")
        .first()
        if pk
        else None
    )
    if found is None:
        raise RepresentationError("Give the number of a decision minuted at one of the group's meetings.")
    meeting = found.item.meeting
    return (
        f"Minuted at {meeting.title}: {found.text[:200]}",
        reverse("meetings:detail", args=[group.slug, meeting.pk]),
    )


def _basis(group: LeadershipGroup, kind: Any, ref: Any, label: Any, link: Any) -> tuple[str, str, str]:
    if kind not in BasisKind.values:
        raise RepresentationError("Choose what the position rests on.")
    if kind in LINKED:
        found_label, href = _linked(group, kind, ref)
        return kind, found_label, href
    label = clean_text(label, label="What the position rests on", limit=SHORT_MAX)
    link = clean_text(link, label="The link", limit=500, required=False)
    if link and not (link.startswith("https://") or (link.startswith("/") and not link.startswith("//"))):
        raise RepresentationError("A link starts with https:// or is a page of this site, starting with /.")
    return kind, label, link


def _dates(agreed_on: Any, review_on: Any) -> tuple[date, date]:
    today = timezone.localdate()
    if not isinstance(agreed_on, date) or not isinstance(review_on, date):
        raise RepresentationError("Enter the date the position was agreed and its review date.")
    if agreed_on > today:
        raise RepresentationError("The date agreed cannot be in the future.")
    if review_on <= agreed_on:
        raise RepresentationError("The review date must be after the date agreed.")
    if review_on > agreed_on + REVIEW_WITHIN:
        raise RepresentationError("Set a review date within five years of agreement.")
    return agreed_on, review_on


def position_create(
    *,
    group: LeadershipGroup,
    topic: str,
    statement: str,
    basis_kind: str,
    basis_ref: Any = "",
    basis_label: str = "",
    basis_link: str = "",
    agreed_on: Any,
    review_on: Any,
    published: bool = False,
    actor: Any,
) -> Position:
    with transaction.atomic():
        require_officer(group, actor)
        topic = clean_text(topic, label="The topic", limit=NAME_MAX)
        statement = clean_text(statement, label="The statement", limit=TEXT_MAX)
        kind, label, href = _basis(group, basis_kind, basis_ref, basis_label, basis_link)
        agreed_on, review_on = _dates(agreed_on, review_on)
        position = Position.objects.create(
            group=group,
            topic=topic,
            statement=statement,
            basis_kind=kind,
            basis_label=label,
            basis_href=href,
            agreed_on=agreed_on,
            review_on=review_on,
            published=bool(published),
            created_by=actor,
        )
        audit.record(
            action="representation.position.created",
            actor=actor,
            group=group,
            obj=position,
            data={"topic": topic, "basis": label, "review_on": review_on, "published": position.published},
        )
    return position


def position_update(
    *, position: Position, status: Any, published: bool, review_on: Any, actor: Any
) -> Position:
    """Change a position's status, whether it is published, and its review date."""
    with transaction.atomic():
        # One change at a time per position, so what is published is what the last officer chose.
        position = lock_row(Position.objects.select_related("group"), pk=position.pk)
        require_officer(position.group, actor)
        if status not in PositionStatus.values:
            raise RepresentationError("Choose current, under review or withdrawn.")
        if not isinstance(review_on, date) or review_on <= position.agreed_on:
            raise RepresentationError("The review date must be after the date agreed.")
        if review_on > position.agreed_on + REVIEW_WITHIN:
            raise RepresentationError("Set a review date within five years of agreement.")
        before = {"status": position.status, "published": position.published, "review_on": position.review_on}
        position.status, position.published, position.review_on = status, bool(published), review_on
        position.save(update_fields=["status", "published", "review_on"])
        audit.record(
            action="representation.position.updated",
            actor=actor,
            group=position.group,
            obj=position,
            data={
                "before": before,
                "status": status,
                "published": position.published,
                "review_on": review_on,
            },
        )
    return position
