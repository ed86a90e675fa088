"""Partner systems on the single point of access: file a request with a write token, read it back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Schema
from ninja.responses import Status as Answer

from gpvoice.api.auth import Caller, membership_of

from . import selectors, services
from .models import Author

_registered = False


class RequestIn(Schema):
    name: str
    email: str
    subject: str
    body: str
    wanted_by: date | None = None
    is_nominee_request: bool = False


class AnswerOut(Schema):
    at: datetime
    body: str
    basis: str


class RequestOut(Schema):
    reference: str
    status: str
    status_label: str
    subject: str
    received_at: datetime | None
    due_on: date | None
    answers: list[AnswerOut]


class Refusal(Schema):
    detail: str


def _caller(request: HttpRequest) -> Caller:
    return request.auth  # type: ignore[attr-defined]


def _body(found: Any) -> dict[str, Any]:
    answers = [
        {"at": m.created_at, "body": m.body, "basis": m.basis}
        for m in selectors.conversation(request=found)
        if m.author == Author.OFFICER and m.is_answer
    ]
    return {
        "reference": found.reference,
        "status": found.status,
        "status_label": found.get_status_display(),
        "subject": found.subject,
        "received_at": found.received_at,
        "due_on": found.due_on,
        "answers": answers,
    }


def file_request(request: HttpRequest, slug: str, payload: RequestIn) -> Answer:
    """File a request for the group with its write token; accepted at once (no email check), the
    organisation being the token's name. Returns the reference to follow it by."""
    caller = _caller(request)
    membership_of(caller, slug)  # another group is a 404 before anything else
    if caller.token is None or not caller.token.allows_write:
        return Answer(403, {"detail": "Filing a request needs this group's token with write scope."})
    try:
        found = services.request_submit_by_token(api_token=caller.token, **payload.dict())
    except services.IntakeError as refusal:
        return Answer(422, {"detail": str(refusal)})
    return Answer(201, _body(found))


def read_request(request: HttpRequest, slug: str, reference: str) -> Answer:
    """A request's status and answers (with what stands behind each), by its reference."""
    membership = membership_of(_caller(request), slug)
    found = selectors.request_for(group=membership.group, reference=reference)
    if found is None:
        raise Http404("No such request")
    return Answer(200, _body(found))


def register() -> None:
    global _registered
    if _registered:
        return
    from gpvoice.api.api import api

    api.post(
        "/groups/{slug}/requests",
        response={201: RequestOut, 403: Refusal, 404: Refusal, 422: Refusal},
        summary="File a request",
        url_name="request_file",
    )(file_request)
    api.get(
        "/groups/{slug}/requests/{reference}",
        response={200: RequestOut, 404: Refusal},
        summary="A request's status and answers",
        url_name="request_read",
    )(read_request)
    _registered = True
