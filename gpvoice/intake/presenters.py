"""What the intake pages show: tags, rows, dates and the can_ flags templates act on."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gpvoice.core.models import Membership

from . import conf, servicelevels
from .models import AccessRequest, Status

TAGS = {
    Status.RECEIVED: "nhsuk-tag--blue",
    Status.TRIAGED: "nhsuk-tag--purple",
    Status.IN_PROGRESS: "nhsuk-tag--aqua-green",
    Status.WAITING: "nhsuk-tag--yellow",
    Status.ANSWERED: "nhsuk-tag--green",
    Status.CLOSED: "nhsuk-tag--grey",
    Status.UNVERIFIED: "nhsuk-tag--grey",
}
STANDING_TAGS = {"breached": "nhsuk-tag--red", "at risk": "nhsuk-tag--orange"}


def status_tag(status: str) -> dict[str, str]:
    return {"text": Status(status).label, "classes": TAGS[Status(status)]}


def day(value: date | None) -> str:
    return f"{value:%d %B %Y}".lstrip("0") if value else "–"


def when(value: Any) -> str:
    return f"{timezone.localtime(value):%d %B %Y %H:%M}".lstrip("0") if value else "–"


def standing(request: AccessRequest, today: date) -> str:
    if request.status == Status.WAITING:
        return "paused"
    return servicelevels.standing(request.due_on, today, conf.warn_working_days())


def queue_rows(requests: list[AccessRequest], slug: str) -> list[list[dict[str, Any]]]:
    today = timezone.localdate()
    rows = []
    for r in requests:
        tag = status_tag(r.status)
        mark = standing(r, today)
        rows.append(
            [
                {"html": _link(reverse("intake:detail", args=[slug, r.reference]), r.reference)},
                {"text": r.subject},
                {"text": r.organisation_name},
                {"html": f'<strong class="nhsuk-tag {tag["classes"]}">{tag["text"]}</strong>'},
                {"text": r.category.name if r.category else "Not triaged"},
                {"text": r.get_priority_display()},
                {"text": r.lead.display_name if r.lead else "–"},
                {"text": f"{day(r.due_on)} ({mark})" if r.due_on else "–"},
            ]
        )
    return rows


def _link(href: str, text: str) -> str:
    from django.utils.html import format_html

    return str(format_html('<a href="{}">{}</a>', href, text))


def detail_flags(request: AccessRequest, membership: Membership) -> dict[str, bool]:
    officer = membership.is_officer
    open_ = request.is_open
    return {
        "can_triage": officer and open_,
        "can_write": officer and open_,
        "can_answer": officer and open_,
        "can_decide": officer and open_,
        "can_ballot": officer and open_,
        "can_refer": officer and open_ and request.referred_at is None,
        "can_merge": officer and open_,
        "can_decline": officer and open_,
        "can_close": officer and request.status == Status.ANSWERED,
        "can_revoke": officer and request.tracking_revoked_at is None and bool(request.tracking_hash),
        "can_start": officer and request.status in (Status.RECEIVED, Status.TRIAGED, Status.WAITING),
    }


def summary(request: AccessRequest) -> list[dict[str, Any]]:
    """Rows for the NHS.UK summary list, on the officer and the tracking pages alike."""
    rows = [
        ("Reference", request.reference),
        ("Status", request.get_status_display()),
        ("From", f"{request.requester_name}, {request.organisation_name}"),
        ("Received", when(request.received_at)),
        ("Needed by", day(request.wanted_by)),
        ("Due", day(request.due_on)),
    ]
    if request.is_nominee_request:
        rows.append(("Kind", "A request for a nominee to a system meeting"))
    if request.merged_into_id and request.merged_into:
        rows.append(("Merged into", request.merged_into.reference))
    if request.decline_reason:
        rows.append(("Declined because", request.decline_reason))
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in rows]


def conversation(messages: list[Any], *, for_requester: bool) -> list[dict[str, Any]]:
    rows = []
    for m in messages:
        if m.author == "requester":
            who = "You" if for_requester else "The requester"
        else:
            who = "The group" if for_requester else (m.officer.display_name if m.officer else "An officer")
        rows.append(
            {
                "who": who,
                "when": when(m.created_at),
                "body": m.body,
                "is_answer": m.is_answer,
                "basis": m.basis,
            }
        )
    return rows


def history(changes: list[Any]) -> list[str]:
    return [
        f"{c.get_status_display()}, {when(c.created_at)}" + (f": {c.note}" if c.note else "") for c in changes
    ]


def files_hint() -> str:
    return (
        f"Up to {conf.max_files()} files of {conf.max_file_bytes() // (1024 * 1024)} MB each: "
        "PDF, Word (.docx), Excel (.xlsx), OpenDocument text (.odt), PNG, JPEG or plain text."
    )
