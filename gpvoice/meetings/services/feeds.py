"""Private calendar addresses: made and revoked by their owner; only the token's hash is stored."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core import audit
from gpvoice.core.locking import lock_row

from ..models import CalendarFeed
from .checks import MeetingError


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _signed_in(actor: Any) -> User:
    if not getattr(actor, "is_authenticated", False):
        raise MeetingError("Sign in to manage your calendar address.")
    # One writer per person: a new address and its revocation of the old never interleave.
    return lock_row(User.objects.all(), pk=actor.pk)


@transaction.atomic
def calendar_feed_create(*, actor: Any) -> str:
    """A new private address for the actor's calendar (the old one stops working); returns the token."""
    user = _signed_in(actor)
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    audit.record(action="meetings.calendar_feed.created", actor=actor, obj=feed)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor: Any) -> int:
    user = _signed_in(actor)
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit.record(action="meetings.calendar_feed.revoked", actor=actor, data={"revoked": revoked})
    return revoked
