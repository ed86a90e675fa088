"""What governance shows on a group's home page: the mandate, and overdue delegation reviews."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from gpvoice.core import rules
from gpvoice.core.panels import register

from . import selectors
from .coverage import percent


@register
def mandate_panel(request: HttpRequest) -> dict[str, Any]:
    group = request.group  # type: ignore[attr-defined]
    status = selectors.mandate_status(group=group)
    slug = group.slug
    links = [
        ("Mandate and coverage", reverse("governance:mandate", args=[slug])),
        ("Members and attendees", reverse("governance:roll", args=[slug])),
        ("Terms of reference", reverse("governance:terms_list", args=[slug])),
        ("Scheme of delegation", reverse("governance:delegation", args=[slug])),
    ]
    if rules.is_officer(request.membership):  # type: ignore[attr-defined]
        links.append(("Executive decisions", reverse("governance:decisions", args=[slug])))
    if status.coverage is None:
        return {
            "title": "No mandate yet",
            "lines": ["The terms of reference have not been put to the practices."],
            "links": links,
        }
    overall = status.coverage.overall
    line = (
        f"{percent(overall.share('agree', by='practices'))} of practices covering "
        f"{percent(overall.share('agree', by='patients'))} of patients have agreed."
    )
    title = "Acting with mandate" if status.with_mandate else "Not acting with mandate"
    return {"title": title, "lines": [line], "links": links}


@register
def delegation_review_panel(request: HttpRequest) -> dict[str, Any] | None:
    # Shown only to those who can act on it: the admins who change the scheme and record reviews.
    if not rules.is_admin(request.membership):  # type: ignore[attr-defined]
        return None
    overdue = selectors.overdue_categories(group=request.group)  # type: ignore[attr-defined]
    if not overdue:
        return None
    names = ", ".join(c.name for c in overdue)
    return {
        "title": "Delegation reviews overdue",
        "warning": True,
        "lines": [f"The scheme of delegation is overdue for review: {names}."],
        "links": [("Review the scheme", reverse("governance:delegation", args=[request.group.slug]))],  # type: ignore[attr-defined]
    }
