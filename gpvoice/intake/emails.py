"""Every email the single point of access sends, queued through gpvoice.jobs.mail (one key each)."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.urls import reverse

from gpvoice.core.models import LeadershipGroup
from gpvoice.jobs.mail import queue_email

from .models import AccessRequest


def _sender(group: LeadershipGroup) -> str:
    """The group's name as sender name, at the deployment's own address."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@gpvoice.invalid"
    return formataddr((" ".join(group.name.split())[:100], address))


def _link(name: str, *args: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _send(request: AccessRequest, key: str, to: Sequence[str], subject: str, body: str) -> None:
    queue_email(key=key, to=to, subject=subject, body=body, from_email=_sender(request.group))


def verification(request: AccessRequest, token: str) -> None:
    _send(
        request,
        f"intake-verify-{request.pk}",
        [request.requester_email],
        f"Confirm your request to {request.group.name}",
        f"Dear {request.requester_name},\n\nWe received a request titled “{request.subject}”. To send it, "
        f"confirm your email address by opening this link within a day:\n\n"
        f"{_link('intake:verify', token)}\n\nIf you did not make this request, ignore this email: "
        "nothing will be sent and the details will be deleted.\n",
    )


def acknowledgement(request: AccessRequest, tracking_token: str | None) -> None:
    follow = (
        f"Follow it, reply and add files here (keep this link private):\n\n"
        f"{_link('intake:track', tracking_token)}\n\n"
        if tracking_token
        else ""
    )
    _send(
        request,
        f"intake-ack-{request.pk}",
        [request.requester_email],
        f"{request.reference}: we have your request",
        f"Dear {request.requester_name},\n\n{request.group.name} has received your request "
        f"“{request.subject}”. Its reference is {request.reference}.\n\n{follow}",
    )


def lead_assigned(request: AccessRequest, key: str) -> None:
    if request.lead is None:
        return
    _send(
        request,
        key,
        [request.lead.email],
        f"{request.reference}: you are the lead",
        f"You are now the lead for {request.reference} “{request.subject}” from "
        f"{request.organisation_name}.\n\n{_link('intake:detail', request.group.slug, request.reference)}\n",
    )


def requester_replied(request: AccessRequest, key: str, officers: Sequence[str]) -> None:
    to = [request.lead.email] if request.lead else list(officers)
    _send(
        request,
        key,
        to,
        f"{request.reference}: the requester replied",
        f"{request.requester_name} replied on {request.reference} “{request.subject}”.\n\n"
        f"{_link('intake:detail', request.group.slug, request.reference)}\n",
    )


def officer_wrote(request: AccessRequest, key: str, *, answer: bool) -> None:
    what = "answered your request" if answer else "wrote about your request"
    _send(
        request,
        key,
        [request.requester_email],
        f"{request.reference}: {request.group.name} {what}",
        f"Dear {request.requester_name},\n\n{request.group.name} {what} “{request.subject}” "
        f"({request.reference}). Read it on your tracking page, from the link in our first email.\n",
    )


def breach_warning(request: AccessRequest, officers: Sequence[str]) -> None:
    to = sorted({*officers, *([request.lead.email] if request.lead else [])})
    _send(
        request,
        f"intake-breach-{request.pk}",
        to,
        f"{request.reference} is due on {request.due_on:%d %B %Y}",
        f"{request.reference} “{request.subject}” from {request.organisation_name} is due on "
        f"{request.due_on:%A %d %B %Y} and has not been answered.\n\n"
        f"{_link('intake:detail', request.group.slug, request.reference)}\n",
    )
