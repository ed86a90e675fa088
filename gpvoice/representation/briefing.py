"""The text of a briefing, in Markdown: the positions relevant to the forum, then the items to raise.

Each piece a person wrote is kept as they wrote it and the whole is rendered through
``core.markdown`` (sanitised) on the page and in the email's HTML part."""

from __future__ import annotations

from collections.abc import Iterable

from gpvoice.core.formats import day

from .models import BriefingItem, ForumMeeting, Position


def _one_line(text: str) -> str:
    return " ".join(text.split())


def compose(meeting: ForumMeeting, positions: Iterable[Position], items: Iterable[BriefingItem]) -> str:
    forum = meeting.forum
    lines = [f"Briefing for {forum.name} on {day(meeting.on)}, from {forum.group.name}.", ""]
    lines += ["## Positions of general practice", ""]
    shown = list(positions)
    for p in shown:
        review = " (under review)" if p.status == "under_review" else ""
        lines.append(f"- **{_one_line(p.topic)}**{review}: {_one_line(p.statement)}")
        lines.append(f"  Basis: {_one_line(p.basis_label)}, agreed {day(p.agreed_on)}.")
    if not shown:
        lines.append("No agreed position matches this forum's topics.")
    lines += ["", "## What to do at the meeting", ""]
    listed = list(items)
    for item in listed:
        lines.append(f"- **{item.get_kind_display()}**: {_one_line(item.text)}")
    if not listed:
        lines.append("No items were added.")
    lines += ["", f"Please file a report-back within {forum.report_days} days of the meeting."]
    return "\n".join(lines)
