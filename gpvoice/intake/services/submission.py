"""The front door: a public submission, its email check, the partner API, and the requester's replies."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import OFFICER_ROLES, LeadershipGroup
from gpvoice.core.selectors import group_members

from .. import conf, emails, kept, links, selectors
from ..models import SUBJECT_MAX, TEXT_MAX, AccessRequest, Author, Message, ReferenceCounter, Status
from .common import IntakeError, clean_text, lock_request, restart_clock, save_request, set_status
from .files import check_uploads, store


class RateLimited(IntakeError):
    pass


def _rate(key: str, limit: int) -> bool:
    """Count one more use of ``key`` this hour; False once over ``limit``."""
    bucket = f"intake-rate:{key}:{timezone.now():%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3600)
    try:
        used = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=3600)
        used = 1
    return used <= limit


def _details(
    *, name: Any, email: Any, subject: Any, body: Any, wanted_by: Any, organisation: Any
) -> dict[str, Any]:
    email_text = clean_text(email, name="Your email address", limit=254).lower()
    try:
        validate_email(email_text)
    except Exception as error:
        raise IntakeError("Enter an email address like name@example.nhs.uk.") from error
    if wanted_by is not None and (not isinstance(wanted_by, date) or wanted_by < timezone.localdate()):
        raise IntakeError("The date you need an answer by must be today or later.")
    org_text = clean_text(organisation, name="Your organisation", limit=255)
    known = selectors.organisation_matching(org_text)
    return {
        "requester_name": clean_text(name, name="Your name", limit=200),
        "requester_email": email_text,
        "subject": clean_text(subject, name="The subject", limit=SUBJECT_MAX),
        "body": clean_text(body, name="What you are asking", limit=TEXT_MAX),
        "wanted_by": wanted_by,
        "organisation": known,
        "organisation_name": known.name if known else org_text,
    }


def request_submit(
    *,
    group: LeadershipGroup,
    ip: str,
    files: list[Any] = (),  # type: ignore[assignment]
    is_nominee_request: bool = False,
    **details: Any,
) -> AccessRequest:
    """A public submission, held unverified until its one-time link is opened (which emails it)."""
    return submit_with_link(
        group=group, ip=ip, files=files, is_nominee_request=is_nominee_request, **details
    )[0]


@transaction.atomic
def submit_with_link(
    *,
    group: LeadershipGroup,
    ip: str,
    files: list[Any] = (),  # type: ignore[assignment]
    is_nominee_request: bool = False,
    **details: Any,
) -> tuple[AccessRequest, str]:
    """``request_submit``, also returning the emailed token (for the demo loader; pages never show it)."""
    fields = _details(**details)
    if not _rate(f"ip:{ip}", conf.rate_per_ip()) or not _rate(
        f"email:{fields['requester_email']}", conf.rate_per_email()
    ):
        raise RateLimited("Too many requests have been sent from here. Try again in an hour.")
    uploads = check_uploads(list(files))
    token, token_hash = links.new_link()
    request = AccessRequest.objects.create(
        group=group,
        status=Status.UNVERIFIED,
        is_nominee_request=bool(is_nominee_request),
        verify_hash=token_hash,
        verify_expires_at=timezone.now() + conf.verify_within(),
        **fields,
    )
    store(request, uploads)
    emails.verification(request, token)
    # No audit entry yet: an unverified submission is not a record of the group (bots would fill the
    # chain); it is audited when its email is confirmed, and deleted unconfirmed by a scheduled job.
    return request, token


def _next_reference(group: LeadershipGroup, year: int) -> str:
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(group=group, year=year)
    except IntegrityError:  # another acceptance created this year's row first
        pass
    # Gap-free: one acceptance at a time per group and year takes the next number, and a rolled-back
    # acceptance rolls its number back with it.
    counter = lock_row(ReferenceCounter.objects.all(), group=group, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"SPA-{year}-{counter.last:04d}"


def _accept(request: AccessRequest, *, actor: Any = None, with_tracking: bool = True) -> str | None:
    kept.note(request)  # not yet received: no share of any month
    now = timezone.now()
    request.reference = _next_reference(request.group, timezone.localdate(now).year)
    request.received_at = now
    request.verify_hash = ""
    request.verify_expires_at = None
    tracking = None
    if with_tracking:
        tracking, request.tracking_hash = links.new_link()
    set_status(request, Status.RECEIVED, actor)
    save_request(request)
    emails.acknowledgement(request, tracking)
    return tracking


@transaction.atomic
def request_verify(*, token: Any) -> tuple[AccessRequest, str]:
    """Open the one-time link: the request is accepted, numbered, and its tracking link made."""
    token_hash = links.hash_of(token)
    found = selectors.unverified_by_hash(token_hash) if token_hash else None
    if found is None:
        raise IntakeError("This link is not valid: it may have been used already or mistyped.")
    request = lock_request(found)
    if request.status != Status.UNVERIFIED or request.verify_hash != token_hash:
        raise IntakeError("This link has been used already. Your request was received.")
    if request.verify_expires_at is None or request.verify_expires_at <= timezone.now():
        raise IntakeError("This link has expired. Please send your request again.")
    tracking = _accept(request) or ""
    audit.record(
        action="intake.request.received", group=request.group, obj=request, data={"ref": request.reference}
    )
    return request, tracking


@transaction.atomic
def request_submit_by_token(
    *,
    api_token: Any,
    name: Any,
    email: Any,
    subject: Any,
    body: Any,
    wanted_by: Any = None,
    is_nominee_request: bool = False,
) -> AccessRequest:
    """A partner system's request with a group's write token: accepted at once, from the token's name."""
    if not getattr(api_token, "allows_write", False):
        raise IntakeError("This token may only read. Ask the group for a token that may write.")
    fields = _details(
        name=name,
        email=email,
        subject=subject,
        body=body,
        wanted_by=wanted_by,
        organisation=api_token.name,
    )
    fields["organisation_name"] = api_token.name
    fields["organisation"] = None
    request = AccessRequest.objects.create(
        group=api_token.group, via_api=True, is_nominee_request=bool(is_nominee_request), **fields
    )
    _accept(request, with_tracking=False)
    audit.record(
        action="intake.request.received",
        group=request.group,
        obj=request,
        data={"ref": request.reference, "token": api_token.prefix},
    )
    return request


def tracking_usable(request: AccessRequest) -> bool:
    if request.tracking_revoked_at is not None or not request.tracking_hash:
        return False
    if request.status == Status.CLOSED and request.closed_at is not None:
        return timezone.now() < request.closed_at + conf.tracking_after_close()
    return request.status != Status.UNVERIFIED


def can_reply(request: AccessRequest) -> bool:
    """The requester may write while the request is open, or answered within the reopening window."""
    if request.status == Status.ANSWERED:
        return request.answered_at is not None and timezone.now() < request.answered_at + conf.reopen_within()
    return request.is_open


@transaction.atomic
def requester_reply(*, token: Any, body: Any, files: list[Any] = ()) -> AccessRequest:  # type: ignore[assignment]
    """The requester writes from their tracking page: a wait ends, and an answer within the window reopens."""
    token_hash = links.hash_of(token)
    found = selectors.request_by_tracking_hash(token_hash) if token_hash else None
    if found is None:
        raise IntakeError("This tracking link is not valid.")
    request = lock_request(found)
    if not tracking_usable(request):
        raise IntakeError("This tracking link has expired or been withdrawn.")
    if not can_reply(request):
        raise IntakeError("This request is closed. To ask again, send a new request.")
    text = clean_text(body, name="Your reply", limit=TEXT_MAX)
    uploads = check_uploads(list(files), already=request.attachments.count())
    message = Message.objects.create(request=request, author=Author.REQUESTER, body=text)
    store(request, uploads, message)
    if request.status == Status.WAITING:
        restart_clock(request)
        set_status(request, Status.IN_PROGRESS, None, "The requester replied.")
    elif request.status == Status.ANSWERED:
        request.answered_at = None
        set_status(request, Status.IN_PROGRESS, None, "Reopened: the requester replied to the answer.")
    save_request(request)
    officers = [m.user.email for m in group_members(group=request.group).filter(role__in=OFFICER_ROLES)]
    emails.requester_replied(request, f"intake-reply-{message.pk}", officers)
    audit.record(
        action="intake.request.replied", group=request.group, obj=request, data={"message": message.pk}
    )
    return request
