"""What the sounding board adds to a group's home page and to a practice's record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core import glance, todo
from gpvoice.core.formats import day, when
from gpvoice.core.panels import register
from gpvoice.core.todo import Todo
from gpvoice.directory.me import me

from . import selectors
from .models import Status


@register(shared=True)
def sounding_board_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    return {
        "title": "Sounding board",
        "lines": [
            "A practice or PCN can have a plan reviewed in confidence from a funder's, a commissioner's "
            "and a regulator's point of view."
        ],
        "links": [("Sounding board", reverse("soundingboard:list", args=[group.slug]))],
    }


@todo.register
def reviews_to_do(request: HttpRequest) -> list[Todo]:
    """A review to return (as reviewer), a review to read (as submitter): two queries."""
    group = request.group  # type: ignore[attr-defined]
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return []
    found = [
        Todo(
            text=f"Return your review of the plan from {a.submission.organisation.name}",
            href=reverse("soundingboard:review", args=[group.slug, a.submission_id]),
        )
        for a in selectors.reviews_to_return(group=group, user=user)
    ]
    if not me(request).signs_for:
        return found  # reviews come back to the signatories of the practice or PCN that asked
    found += [
        Todo(
            text=f"Read the review of “{s.title}” ({s.organisation.name}), returned {when(s.returned_at)}",
            href=reverse("soundingboard:detail", args=[group.slug, s.pk]),
        )
        for s in selectors.reviews_to_read(group=group, user=user)
    ]
    return found


def practice_submissions(group: Any, practice: Any) -> glance.Section | None:
    """The practice's submissions by reference, date and status, never their titles: officers may
    open any practice's record, and they never see what a plan is about (ADR 12)."""
    rows = selectors.of_organisation(group=group, organisation=practice)
    if not rows:
        return None
    return glance.Section(
        key="soundingboard",
        title="Sounding board",
        table=glance.Table(
            head=["Plan", "Submitted", "Status"],
            rows=[[s.reference, day(s.submitted_at), Status(s.status).label] for s in rows],
            caption="Plans submitted in confidence, latest first",
        ),
        href=reverse("soundingboard:list", args=[group.slug]),
        href_text="The sounding board",
        data={
            "submissions": [
                {"reference": s.reference, "submitted": s.submitted_at.date().isoformat(), "status": s.status}
                for s in rows
            ]
        },
    )


glance.register_practice_record("soundingboard", practice_submissions, order=80)


def dashboard_counts(group: Any) -> glance.Section | None:
    """Counts by status only: the dashboard is the officers', who never see a plan (ADR 12)."""
    counts = selectors.counts_by_status(group=group)
    if not counts:
        return None
    summary = [(Status(s).label, f"{counts.get(s, 0):,}") for s in Status.values]
    return glance.Section(
        key="soundingboard",
        title="Sounding board",
        summary=summary,
        href=reverse("soundingboard:manage", args=[group.slug]),
        href_text="Sounding board submissions",
        data={"by_status": {s: counts.get(s, 0) for s in Status.values}},
    )


glance.register_dashboard("soundingboard", dashboard_counts, order=90)
