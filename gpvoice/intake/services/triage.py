"""Officers' work on a request: triage, conversation, waiting, merging, declining, closing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup

from .. import emails, selectors
from ..models import TEXT_MAX, AccessRequest, Author, Category, Message, Priority, Status
from .common import (
    IntakeError,
    clean_text,
    lock_request,
    recompute_due,
    require_officer,
    restart_clock,
    save_request,
    set_status,
)

WORKING = frozenset({Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING})


def _own(request: AccessRequest, actor: Any) -> AccessRequest:
    """Lock the request, then check the actor is an officer of its group (under the lock)."""
    request = lock_request(request)
    require_officer(request.group, actor)
    if request.status == Status.UNVERIFIED:
        raise IntakeError("This request has not been confirmed by its sender yet.")
    return request


def _open(request: AccessRequest) -> None:
    if not request.is_open:
        raise IntakeError(
            f"{request.reference} is {request.get_status_display().lower()}; it cannot change now."
        )


@transaction.atomic
def category_create(*, group: LeadershipGroup, actor: Any, name: Any, service_days: Any) -> Category:
    lock_row(LeadershipGroup.objects.all(), pk=group.pk)  # one category writer per group: names stay unique
    require_officer(group, actor)
    text = clean_text(name, name="The category name", limit=100)
    if type(service_days) is not int or not 0 <= service_days <= 250:
        raise IntakeError("The service level must be a whole number of working days from 0 to 250.")
    if Category.objects.filter(group=group, name__iexact=text).exists():
        raise IntakeError(f"There is already a category called “{text}”.")
    category = Category.objects.create(group=group, name=text, service_days=service_days)
    audit.record(
        action="intake.category.created",
        actor=actor,
        group=group,
        obj=category,
        data={"name": text, "service_days": service_days},
    )
    return category


@transaction.atomic
def request_triage(
    *, request: AccessRequest, actor: Any, category: Any, priority: Any, lead: Any
) -> AccessRequest:
    """Set category (and so the due date), priority and lead; a new request becomes triaged."""
    request = _own(request, actor)
    _open(request)
    if not isinstance(category, Category) or category.group_id != request.group_id:
        raise IntakeError("Choose one of this group's categories.")
    if priority not in Priority.values:
        raise IntakeError("Choose a priority.")
    leads = selectors.possible_leads(group=request.group)
    if lead is not None and not (isinstance(lead, leads.model) and leads.filter(pk=lead.pk).exists()):
        raise IntakeError("The lead must be a core member or an officer of the group.")
    new_lead = lead is not None and lead.pk != request.lead_id
    request.category, request.priority, request.lead = category, priority, lead
    recompute_due(request)
    if request.status == Status.RECEIVED:
        set_status(request, Status.TRIAGED, actor)
    save_request(request)
    if new_lead and request.lead is not None:
        stamp = f"{timezone.now():%Y%m%d%H%M%S%f}"
        emails.lead_assigned(request, f"intake-lead-{request.pk}-{request.lead.pk}-{stamp}")
    audit.record(
        action="intake.request.triaged",
        actor=actor,
        group=request.group,
        obj=request,
        data={
            "category": category.name,
            "priority": priority,
            "lead": lead.pk if lead else None,
            "due_on": request.due_on,
        },
    )
    return request


def officer_message(
    request: AccessRequest, actor: Any, text: str, *, answer: bool = False, basis: str = ""
) -> Message:
    message = Message.objects.create(
        request=request, author=Author.OFFICER, officer=actor, body=text, is_answer=answer, basis=basis[:500]
    )
    if request.first_response_at is None:
        request.first_response_at = message.created_at
    emails.officer_wrote(request, f"intake-officer-{message.pk}", answer=answer)
    return message


@transaction.atomic
def request_write(*, request: AccessRequest, actor: Any, body: Any, wait: bool = False) -> AccessRequest:
    """Write to the requester; ``wait`` asks them something and pauses the service-level clock."""
    request = _own(request, actor)
    _open(request)
    text = clean_text(body, name="The message", limit=TEXT_MAX)
    message = officer_message(request, actor, text)
    if wait and request.status != Status.WAITING:
        request.paused_on = timezone.localdate()
        set_status(request, Status.WAITING, actor, "Waiting on the requester.")
    elif request.status in (Status.RECEIVED, Status.TRIAGED):
        set_status(request, Status.IN_PROGRESS, actor)
    save_request(request)
    audit.record(
        action="intake.request.waiting" if wait else "intake.request.written",
        actor=actor,
        group=request.group,
        obj=request,
        data={"message": message.pk},
    )
    return request


@transaction.atomic
def request_start(*, request: AccessRequest, actor: Any) -> AccessRequest:
    request = _own(request, actor)
    if request.status not in (Status.RECEIVED, Status.TRIAGED, Status.WAITING):
        raise IntakeError(f"{request.reference} is already {request.get_status_display().lower()}.")
    restart_clock(request)
    set_status(request, Status.IN_PROGRESS, actor)
    save_request(request)
    audit.record(action="intake.request.started", actor=actor, group=request.group, obj=request)
    return request


@transaction.atomic
def request_merge(*, request: AccessRequest, into: Any, actor: Any) -> AccessRequest:
    """Close a duplicate into the request that carries on; the requester is told which one."""
    if not isinstance(into, AccessRequest) or into.pk == request.pk:
        raise IntakeError("Choose another request of this group to merge into.")
    # Both rows locked, always in id order, so two officers merging A into B and B into A cannot deadlock.
    locked = {r.pk: lock_request(r) for r in sorted((request, into), key=lambda r: r.pk)}
    first, target = locked[request.pk], locked[into.pk]
    require_officer(first.group, actor)
    if target.group_id != first.group_id:
        raise IntakeError("Choose another request of this group to merge into.")
    if target.merged_into_id or target.status in (Status.CLOSED, Status.UNVERIFIED):
        raise IntakeError(f"{target.reference} is closed; merge into an open request.")
    _open(first)
    first.merged_into = target
    first.closed_at = timezone.now()
    restart_clock(first)
    officer_message(first, actor, f"This request duplicates {target.reference}; it carries on there.")
    set_status(first, Status.CLOSED, actor, f"Merged into {target.reference}.")
    save_request(first)
    audit.record(
        action="intake.request.merged",
        actor=actor,
        group=first.group,
        obj=first,
        data={"into": target.reference},
    )
    return first


@transaction.atomic
def request_decline(*, request: AccessRequest, actor: Any, reason: Any) -> AccessRequest:
    request = _own(request, actor)
    _open(request)
    text = clean_text(reason, name="The reason", limit=2000)
    request.decline_reason = text
    request.closed_at = timezone.now()
    restart_clock(request)
    officer_message(request, actor, f"We cannot take this request on: {text}")
    set_status(request, Status.CLOSED, actor, "Declined.")
    save_request(request)
    audit.record(action="intake.request.declined", actor=actor, group=request.group, obj=request)
    return request


@transaction.atomic
def request_close(*, request: AccessRequest, actor: Any) -> AccessRequest:
    request = _own(request, actor)
    if request.status != Status.ANSWERED:
        raise IntakeError("Only an answered request can be closed; decline an open one instead.")
    request.closed_at = timezone.now()
    set_status(request, Status.CLOSED, actor)
    save_request(request)
    audit.record(action="intake.request.closed", actor=actor, group=request.group, obj=request)
    return request


@transaction.atomic
def tracking_revoke(*, request: AccessRequest, actor: Any) -> AccessRequest:
    request = _own(request, actor)
    if request.tracking_revoked_at is not None:
        raise IntakeError("The tracking link has already been withdrawn.")
    request.tracking_revoked_at = timezone.now()
    request.save(update_fields=["tracking_revoked_at"])
    audit.record(action="intake.tracking.revoked", actor=actor, group=request.group, obj=request)
    return request
