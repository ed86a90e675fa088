"""Who is calling the API: a signed-in member (session) or a partner system (a group's token).

Either way the caller reaches a group only as a member would: ``membership_of`` gives the member's own
membership, or, for a token, an unsaved observer membership of the token's group, so every read goes
through the same selectors (and the same visibility rules) as the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from gpvoice.core.models import Membership, Role
from gpvoice.core.selectors import membership_for

from . import tokens
from .models import ApiToken

# How stale ``last_used_at`` may get before a request refreshes it (one write a minute at most).
LAST_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Caller:
    user: Any = None
    token: ApiToken | None = None

    def __str__(self) -> str:  # the rate limiter's key: one bucket per token or per person
        return f"token:{self.token.prefix}" if self.token else f"user:{self.user.pk}"


class GroupToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        prefix = tokens.parse_prefix(token)
        if prefix is None:
            return None
        row = ApiToken.objects.select_related("group").filter(prefix=prefix).first()
        if row is None or not tokens.matches(token, row.token_hash) or not row.is_usable():
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USE_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        return Caller(token=row)


class MemberSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = super().authenticate(request, key)
        return Caller(user=user) if user else None


def membership_of(caller: Caller, slug: str) -> Membership:
    """The caller's way into the group ``slug``; another group (or none) is a 404, as on the pages."""
    if caller.token is not None:
        if caller.token.group.slug != slug:
            raise Http404("No such group")
        return Membership(group=caller.token.group, role=Role.OBSERVER)
    membership = membership_for(user=caller.user, slug=slug)
    if membership is None:
        raise Http404("No such group")
    return membership
