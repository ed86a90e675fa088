"""Reads of API tokens, always within one group."""

from __future__ import annotations

from django.db.models import QuerySet

from gpvoice.core.models import LeadershipGroup

from .models import ApiToken


def tokens_of(*, group: LeadershipGroup) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(group=group).select_related("created_by").order_by("-created_at", "-pk")


def token_in(*, group: LeadershipGroup, pk: str) -> ApiToken | None:
    # isascii too: "²" passes str.isdigit() but is no number (int() refuses it: a 500, not a 404).
    return tokens_of(group=group).filter(pk=pk).first() if pk.isascii() and pk.isdigit() else None
