"""The lists officers work from, as CSV: each from the selector its page uses, streamed row by row
(core.exports neutralises cells a spreadsheet would take for formulas)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse

from gpvoice.core.exports import csv_response
from gpvoice.core.permissions import group_member

from . import selectors
from .models import Answer

CHUNK = 500


def _group(request: HttpRequest) -> Any:
    return request.group  # type: ignore[attr-defined]


@group_member()
def roll_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The roll, as the roll page shows it (whoever may see the page may take the file)."""
    group = _group(request)
    header = [
        "name",
        "status",
        "on the roll since",
        "why",
        "declarations of interest",
        "eligibility to check",
    ]
    return csv_response(f"{group.slug}-roll", header, _roll_rows(group))


def _roll_rows(group: Any) -> Iterator[list[Any]]:
    for row in selectors.iter_roll_rows(group=group, chunk_size=CHUNK):
        declared = "; ".join(
            f"{d.organisation.name if d.organisation else d.interest} ({d.nature})" for d in row.declarations
        )
        yield [
            row.entry.person.full_name,
            row.entry.get_status_display(),
            row.entry.start.isoformat(),
            row.eligibility.reason,
            declared or "None declared",
            "yes" if row.flagged else "no",
        ]


@group_member()
def mandate_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Each footprint practice's current answer to the open (or latest) ratification."""
    group = _group(request)
    round = selectors.current_round(group=group)
    header = ["practice", "ODS code", "PCN", "registered patients", "answer", "answered by", "answered at"]
    rows = _answer_rows(round) if round is not None else iter(())
    return csv_response(f"{group.slug}-mandate-answers", header, rows)


def _answer_rows(round: Any) -> Iterator[list[Any]]:
    labels = dict(Answer.choices)
    for p in selectors.answer_sheet(round=round).iterator(chunk_size=CHUNK):
        yield [
            p.name,
            p.ods_code,
            p.pcn.name if p.pcn else "",
            p.list_size if p.list_size is not None else "",
            labels.get(p.answer, "No answer yet"),  # type: ignore[attr-defined]
            p.answered_by_name or "",  # type: ignore[attr-defined]
            p.answered_at.isoformat() if p.answered_at else "",  # type: ignore[attr-defined]
        ]


@group_member()
def decisions_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The executive's decisions, newest first, with who took them and whether they were noted."""
    group = _group(request)
    header = [
        "decided at",
        "category",
        "decision",
        "rationale",
        "amount (£)",
        "status",
        "reason",
        "decided by",
        "noted at",
    ]
    rows = (
        [
            d.decided_at.isoformat(),
            d.category.name,
            d.title,
            d.rationale,
            f"{d.amount:.2f}" if d.amount is not None else "",
            d.get_status_display(),
            d.refusal_reason,
            d.decided_by.display_name,
            d.noted_at.isoformat() if d.noted_at else "",
        ]
        for d in selectors.decisions(group=group).order_by("-decided_at", "-pk").iterator(chunk_size=CHUNK)
    )
    return csv_response(f"{group.slug}-decisions", header, rows)
