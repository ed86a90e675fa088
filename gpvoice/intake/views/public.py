"""The public front door: the form, the email check and the private tracking page. No account."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from gpvoice.core.context import render
from gpvoice.core.models import LeadershipGroup
from gpvoice.core.permissions import public

from .. import links, presenters, selectors, services
from ..forms import ReplyForm, RequestForm
from ..models import AccessRequest


def _group(slug: str) -> LeadershipGroup:
    group = selectors.public_group(slug=slug)
    if group is None:
        raise Http404("No such group")
    return group


def _gone(request: HttpRequest, message: str) -> HttpResponse:
    """A forged, used, expired or withdrawn link: a clear page, never a hint of what exists."""
    return render(request, "intake/gone.jinja", status=410, message=message)


@public
@never_cache
def front_door(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("intake:sent", slug)  # a bot: say nothing, keep nothing
        try:
            services.request_submit(
                group=group,
                ip=request.META.get("REMOTE_ADDR", "") or "unknown",
                files=request.FILES.getlist("files"),
                organisation=data["organisation"],
                name=data["name"],
                email=data["email"],
                subject=data["subject"],
                body=data["body"],
                wanted_by=data["wanted_by"],
                is_nominee_request=data["is_nominee_request"],
            )
        except services.IntakeError as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("intake:sent", slug)
    return render(
        request,
        "intake/front_door.jinja",
        group=group,
        form=form,
        files_hint=presenters.files_hint(),
        partners=selectors.partner_choices(),
    )


@public
def sent(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "intake/sent.jinja", group=_group(slug))


@public
@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links); POST confirms and opens the tracking page."""
    token_hash = links.hash_of(token)
    pending = selectors.unverified_by_hash(token_hash) if token_hash else None
    if pending is None:
        return _gone(request, "This link is not valid: it may have been used already or mistyped.")
    if request.method == "POST":
        try:
            _, tracking = services.request_verify(token=token)
        except services.IntakeError as refusal:
            return _gone(request, str(refusal))
        messages.success(request, "Thank you: your request has been sent. We have emailed you its reference.")
        return redirect("intake:track", tracking)
    return render(request, "intake/verify.jinja", group=pending.group, pending=pending)


def _tracked(token: str) -> AccessRequest | None:
    token_hash = links.hash_of(token)
    found = selectors.request_by_tracking_hash(token_hash) if token_hash else None
    return found if found is not None and services.tracking_usable(found) else None


@public
@never_cache
def track(request: HttpRequest, token: str) -> HttpResponse:
    found = _tracked(token)
    if found is None:
        return _gone(request, "This tracking link is not valid, has expired, or has been withdrawn.")
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.requester_reply(
                token=token, body=form.cleaned_data["body"], files=request.FILES.getlist("files")
            )
        except services.IntakeError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your reply has been sent.")
            return redirect("intake:track", token)
    return render(
        request,
        "intake/track.jinja",
        group=found.group,
        req=found,
        summary=presenters.summary(found),
        messages_=presenters.conversation(selectors.conversation(request=found), for_requester=True),
        files=selectors.files_of(request=found),
        token=token,
        form=form,
        can_reply=services.can_reply(found),
    )


@public
def track_download(request: HttpRequest, token: str, file_id: int) -> HttpResponse | FileResponse:
    found = _tracked(token)
    attachment = selectors.attachment_of(request=found, pk=file_id) if found else None
    if attachment is None:
        return _gone(request, "This file is not available.")
    return attachment_response(attachment)


def attachment_response(attachment: object) -> FileResponse:
    a = attachment
    response = FileResponse(
        a.file.open("rb"),  # type: ignore[attr-defined]
        as_attachment=True,
        filename=a.name,  # type: ignore[attr-defined]
        content_type=a.content_type,  # type: ignore[attr-defined]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
