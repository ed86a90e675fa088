"""What sounding-board templates show: rows, cards and decisions, never roles."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.html import format_html_join
from markupsafe import Markup

from gpvoice.core import markdown
from gpvoice.core.formats import day, when

from .models import Assignment, Document, Perspective, Review, Status, Submission

TAGS = {
    Status.SUBMITTED: "nhsuk-tag--blue",
    Status.IN_REVIEW: "nhsuk-tag--yellow",
    Status.RETURNED: "nhsuk-tag--green",
    Status.READ: "nhsuk-tag--grey",
    Status.WITHDRAWN: "nhsuk-tag--grey",
}


def tag(status: str) -> Markup:
    return Markup('<strong class="nhsuk-tag {}">{}</strong>').format(  # noqa: S704 - escaped by format
        TAGS[Status(status)], Status(status).label
    )


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def document_rows(slug: str, submission: Submission, documents: list[Document]) -> list[dict[str, str]]:
    return [
        {
            "text": f"{d.name} ({_size(d.size)})",
            "href": reverse("soundingboard:document", args=[slug, submission.pk, d.pk]),
        }
        for d in documents
    ]


def summary(submission: Submission) -> list[dict[str, Any]]:
    """Rows for the NHS.UK summary list on the plan's page."""
    rows = [
        ("Reference", submission.reference),
        ("Submitted for", submission.organisation.name),
        ("Submitted", when(submission.submitted_at)),
        ("Perspectives wanted", ", ".join(submission.perspective_labels())),
        ("Status", tag(submission.status)),
    ]
    return [
        {"key": {"text": k}, "value": {"html": v} if isinstance(v, Markup) else {"text": v}} for k, v in rows
    ]


def plan_html(submission: Submission) -> Markup:
    return markdown.render(submission.plan)


def review_card(review: Review, n: int) -> dict[str, Any]:
    parts = [(f"{label} perspective", getattr(review, value)) for value, label in Perspective.choices]
    parts += [
        ("Strengths", review.strengths),
        ("Weaknesses", review.weaknesses),
        ("Questions to answer", review.questions),
    ]
    return {
        "heading": f"Review {n}, returned {when(review.returned_at)}",
        "parts": [{"heading": h, "html": markdown.render(t)} for h, t in parts if t],
    }


def my_row(slug: str, submission: Submission) -> list[dict[str, Any]]:
    href = reverse("soundingboard:detail", args=[slug, submission.pk])
    return [
        {"html": format_html_join("", '<a href="{}">{}</a>', [(href, submission.title)])},
        {"text": submission.organisation.name},
        {"text": day(submission.submitted_at)},
        {"html": tag(submission.status)},
    ]


def assignment_row(slug: str, assignment: Assignment) -> list[dict[str, Any]]:
    sub = assignment.submission
    href = reverse("soundingboard:review", args=[slug, sub.pk])
    state = f"Returned {day(assignment.returned_at)}" if assignment.returned_at else "To return"
    ends = f"; you can read it until {day(assignment.access_ends_at)}" if assignment.access_ends_at else ""
    return [
        {
            "html": format_html_join(
                "", '<a href="{}">{}</a>', [(href, f"{sub.reference} from {sub.organisation.name}")]
            )
        },
        {"text": day(assignment.assigned_at)},
        {"text": state + ends},
    ]


def officer_row(slug: str, submission: Submission) -> list[dict[str, Any]]:
    """What an officer sees of a submission: reference, organisation, status, reviewers. No title."""
    href = reverse("soundingboard:manage_detail", args=[slug, submission.pk])
    return [
        {"html": format_html_join("", '<a href="{}">{}</a>', [(href, submission.reference)])},
        {"text": submission.organisation.name},
        {"text": day(submission.submitted_at)},
        {"text": str(submission.reviewers)},  # type: ignore[attr-defined]
        {"html": tag(submission.status)},
    ]


def reviewer_row(assignment: Assignment, *, plan_open: bool) -> dict[str, Any]:
    conflicts = assignment.conflicts or []
    by = assignment.assigned_by
    return {
        "name": assignment.reviewer.display_name,
        "email": assignment.reviewer.email,
        "assigned": f"{day(assignment.assigned_at)} by {by.display_name if by else 'the system'}",
        "returned": f"Returned {day(assignment.returned_at)}"
        if assignment.returned_at
        else "Not yet returned",
        "conflicts": conflicts,
        "override_reason": assignment.override_reason,
        "removable": plan_open and assignment.returned_at is None,
        "id": assignment.pk,
    }
