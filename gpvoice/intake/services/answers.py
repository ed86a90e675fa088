"""From request to decision: answer directly, by an executive decision, a ballot, or the next meeting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.ballots.models import Ballot
from gpvoice.ballots.models import Status as BallotStatus
from gpvoice.core import audit
from gpvoice.governance import services as governance
from gpvoice.governance.models import DecisionCategory

from ..models import TEXT_MAX, AccessRequest, Route, Status
from .common import IntakeError, clean_text, restart_clock, save_request, set_status
from .triage import _open, _own, officer_message


def basis_of(request: AccessRequest) -> str:
    """What stands behind the answer, in words the requester reads."""
    if request.route == Route.DECISION and request.decision is not None:
        d = request.decision
        return f"Executive decision “{d.title}” ({d.category.name}), taken on {d.decided_at:%d %B %Y}."
    if request.route == Route.BALLOT and request.ballot is not None:
        b = request.ballot
        when = f", result published on {b.published_at:%d %B %Y}" if b.published_at else ""
        return f"Ballot of practices “{b.title}”{when}."
    if request.route == Route.MEETING and request.referred_at is not None:
        return f"Considered by the group's meeting after referral on {request.referred_at:%d %B %Y}."
    return ""


def _answer(request: AccessRequest, actor: Any, text: str) -> AccessRequest:
    if not request.route:
        request.route = Route.DIRECT
    restart_clock(request)
    officer_message(request, actor, text, answer=True, basis=basis_of(request))
    request.answered_at = timezone.now()
    set_status(request, Status.ANSWERED, actor)
    save_request(request)
    return request


@transaction.atomic
def request_answer(*, request: AccessRequest, actor: Any, body: Any) -> AccessRequest:
    """Answer; a request put to a ballot is answered once the ballot's result is published."""
    request = _own(request, actor)
    _open(request)
    text = clean_text(body, name="The answer", limit=TEXT_MAX)
    if request.route == Route.BALLOT and request.ballot is not None:
        if request.ballot.status != BallotStatus.PUBLISHED:
            raise IntakeError(f"Wait for the result of “{request.ballot.title}” before answering.")
    _answer(request, actor, text)
    audit.record(
        action="intake.request.answered",
        actor=actor,
        group=request.group,
        obj=request,
        data={"route": request.route},
    )
    return request


@transaction.atomic
def request_decide(
    *,
    request: AccessRequest,
    actor: Any,
    category: Any,
    title: Any,
    rationale: Any,
    amount: Decimal | None,
    body: Any,
) -> AccessRequest:
    """Take an executive decision under the scheme of delegation and answer with it.

    A decision outside the executive's powers is refused by governance (OutsidePowers) exactly as on
    its own page, and nothing here is changed."""
    request = _own(request, actor)
    _open(request)
    if not isinstance(category, DecisionCategory) or category.group_id != request.group_id:
        raise IntakeError("Choose one of this group's decision categories.")
    text = clean_text(body, name="The answer", limit=TEXT_MAX)
    decision = governance.executive_decision_record(
        category=category,
        title=clean_text(title, name="The decision title", limit=200),
        rationale=clean_text(rationale, name="The rationale", limit=TEXT_MAX),
        amount=amount,
        actor=actor,
    )
    request.route, request.decision = Route.DECISION, decision
    _answer(request, actor, text)
    audit.record(
        action="intake.request.decided",
        actor=actor,
        group=request.group,
        obj=request,
        data={"decision": decision.pk},
    )
    return request


@transaction.atomic
def request_put_to_ballot(*, request: AccessRequest, actor: Any, ballot: Any) -> AccessRequest:
    request = _own(request, actor)
    _open(request)
    if not isinstance(ballot, Ballot) or ballot.group_id != request.group_id:
        raise IntakeError("Choose one of this group's ballots.")
    request.route, request.ballot = Route.BALLOT, ballot
    if request.status in (Status.RECEIVED, Status.TRIAGED):
        set_status(request, Status.IN_PROGRESS, actor, f"Put to the ballot “{ballot.title}”.")
    save_request(request)
    audit.record(
        action="intake.request.balloted",
        actor=actor,
        group=request.group,
        obj=request,
        data={"ballot": ballot.pk},
    )
    return request


@transaction.atomic
def request_refer(*, request: AccessRequest, actor: Any) -> AccessRequest:
    """Refer to the group's next meeting (the meetings capability reads requests_for_next_meeting)."""
    request = _own(request, actor)
    _open(request)
    if request.referred_at is not None:
        raise IntakeError(f"{request.reference} is already referred to the next meeting.")
    request.route, request.referred_at = Route.MEETING, timezone.now()
    if request.status in (Status.RECEIVED, Status.TRIAGED):
        set_status(request, Status.IN_PROGRESS, actor, "Referred to the group's next meeting.")
    save_request(request)
    audit.record(action="intake.request.referred", actor=actor, group=request.group, obj=request)
    return request


@transaction.atomic
def request_mark_nominee(*, request: AccessRequest, actor: Any, is_nominee: bool) -> AccessRequest:
    """Mark a request for a nominee to a system meeting, so representation can fill the seat."""
    request = _own(request, actor)
    if request.is_nominee_request == bool(is_nominee):
        return request
    request.is_nominee_request = bool(is_nominee)
    request.save(update_fields=["is_nominee_request"])
    audit.record(
        action="intake.request.nominee",
        actor=actor,
        group=request.group,
        obj=request,
        data={"is_nominee": request.is_nominee_request},
    )
    return request
