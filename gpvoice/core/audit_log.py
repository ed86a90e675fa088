"""The audit log page: filters, pages that cost the same however long the log, readable lines.

Pages are keyed on the entry id (``?before=`` / ``?after=``), not numbered: the log only grows, and
an offset or a count would read every earlier entry; a page here reads at most one page and one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry

PAGE_SIZE = 50
# The data keys that name what an entry is about, most telling first.
NAME_KEYS = ("title", "name", "person", "reference", "email", "practice", "category", "round", "ballot")
# Data never worth a line on the page (hashes, internal ids); the CSV keeps everything.
QUIET_KEYS = frozenset({"token_hash", "hash", "receipt", "entry_hash", "previous_hash"})


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=100,
        help_text="The start of an action's name, for example 'ballots' or 'governance.roll'.",
    )
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=254,
        help_text="Who did it: an email address, or part of a name.",
    )
    since = forms.DateField(
        label="From",
        required=False,
        help_text="For example, 1/4/2026.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the first day as day/month/year, like 1/4/2026."},
    )
    until = forms.DateField(
        label="To",
        required=False,
        help_text="For example, 30/4/2026.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the last day as day/month/year, like 30/4/2026."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The last day must be the same as or after the first day.")
        return cleaned


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(entries: QuerySet[AuditEntry], form: AuditFilterForm) -> QuerySet[AuditEntry]:
    """Apply the valid filters (an invalid form filters nothing; its errors are shown)."""
    if not form.is_valid():
        return entries
    data = form.cleaned_data
    if action := data.get("action", "").strip().lower():
        entries = entries.filter(action__startswith=action)
    if person := data.get("person", "").strip():
        entries = (
            entries.filter(actor_label__iexact=person)
            if "@" in person
            else entries.filter(actor__full_name__icontains=person)
        )
    if since := data.get("since"):
        entries = entries.filter(at__gte=_day_start(since))
    if until := data.get("until"):
        entries = entries.filter(at__lt=_day_start(until) + timedelta(days=1))
    return entries


def _id(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    newer: int | None  # the id to ask ``after=`` for the page before this one
    older: int | None  # the id to ask ``before=`` for the next page


def page_of(entries: QuerySet[AuditEntry], *, before: object = None, after: object = None) -> AuditPage:
    """Newest first; one query for the page and one to know whether there are newer entries."""
    after_id, before_id = _id(after), _id(before)
    if after_id is not None:
        rows = list(entries.filter(id__gt=after_id).order_by("id")[: PAGE_SIZE + 1])
        more_newer = len(rows) > PAGE_SIZE
        rows = list(reversed(rows[:PAGE_SIZE]))
        older = rows[-1].id if rows else None
        return AuditPage(rows, rows[0].id if rows and more_newer else None, older)
    if before_id is not None:
        entries = entries.filter(id__lt=before_id)
    rows = list(entries.order_by("-id")[: PAGE_SIZE + 1])
    more_older = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    newer = rows[0].id if rows and before_id is not None else None
    return AuditPage(rows, newer, rows[-1].id if rows and more_older else None)


def _humanise(action: str) -> str:
    """ "governance.roll.added" → "Roll added"; "ballots.vote.cast_secret" → "Vote cast secret"."""
    words = action.split(".")[1:] or [action]
    return " ".join(w.replace("_", " ") for w in words).capitalize()


def object_name(entry: AuditEntry) -> str:
    """What the entry is about, in words: the kind of record and its name if the entry recorded one."""
    kind = ""
    if entry.object_type:
        try:
            kind = str(apps.get_model(entry.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            kind = entry.object_type
    data = entry.data if isinstance(entry.data, dict) else {}
    name = next((str(data[k]) for k in NAME_KEYS if data.get(k) not in (None, "")), "")
    if kind and name:
        return f"{kind.capitalize()}: {name}"
    if kind:
        return f"{kind.capitalize()} {entry.object_id}".strip()
    return name


def details(entry: AuditEntry) -> str:
    data = entry.data if isinstance(entry.data, dict) else {}
    parts = [
        f"{key.replace('_', ' ')}: {value}"
        for key, value in data.items()
        if key not in QUIET_KEYS and key not in NAME_KEYS and value not in (None, "", [], {})
    ]
    return "; ".join(parts)[:300]


def rows(page: AuditPage) -> list[dict[str, Any]]:
    return [
        {
            "at": entry.at,
            "who": (entry.actor.display_name if entry.actor else "") or entry.actor_label,
            "who_email": entry.actor_label if "@" in entry.actor_label else "",
            "what": _humanise(entry.action),
            "action": entry.action,
            "about": object_name(entry),
            "details": details(entry),
        }
        for entry in page.entries
    ]
