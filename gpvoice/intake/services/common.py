"""Checks and small writes every intake service shares."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gpvoice.core import text
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup, Membership
from gpvoice.core.selectors import membership_in

from .. import kept, workdays
from ..models import AccessRequest, Status, StatusChange


class IntakeError(Exception):
    """A refusal with a message fit to show the person who asked."""


def require_officer(group: LeadershipGroup, user: Any) -> Membership:
    membership = membership_in(user=user, group=group)
    if membership is None or not membership.is_officer:
        raise IntakeError(f"Only the officers of {group.name} (its admins and executive) can do this.")
    return membership


def clean_text(value: Any, *, name: str, limit: int, required: bool = True) -> str:
    """Text fit to store (core.text), refused as an IntakeError."""
    not_text = f"Enter {name.lower()} as text."
    return text.clean_text(
        value, name=name, limit=limit, required=required, refuse=IntakeError, not_text=not_text
    )


def lock_request(request: AccessRequest) -> AccessRequest:
    # One writer per request at a time: status, clock, conversation and links all hang off it.
    # Its share of the kept monthly figures is noted as it stands, for save_request to move.
    return kept.note(
        lock_row(AccessRequest.objects.select_related("group", "category", "lead"), pk=request.pk)
    )


def save_request(request: AccessRequest) -> None:
    """Save the request and, in the same transaction, move the kept monthly figures by what changed."""
    request.save()
    kept.keep(request)


def set_status(request: AccessRequest, status: Status, actor: Any, note: str = "") -> None:
    """Move the request on and keep the step in its append-only history; the caller saves."""
    request.status = status
    StatusChange.objects.create(
        request=request,
        status=status,
        note=note[:500],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def recompute_due(request: AccessRequest) -> None:
    """Due date: the category's working days from receipt, plus the working days spent waiting."""
    if request.category is None or request.received_at is None:
        request.due_on = None
        return
    received = timezone.localdate(request.received_at)
    request.due_on = workdays.add_working_days(received, request.category.service_days + request.paused_days)


def restart_clock(request: AccessRequest) -> None:
    """The requester answered: the days spent waiting push the due date back."""
    if request.paused_on is not None:
        request.paused_days += workdays.working_days_between(request.paused_on, timezone.localdate())
        request.paused_on = None
        recompute_due(request)
