"""API tokens as the admin's table shows them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from gpvoice.core.formats import when

from .models import ApiToken


def token_state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return "Revoked"
    if token.expires_at <= timezone.now():
        return "Expired"
    return "Active"


def token_row(t: ApiToken) -> dict[str, Any]:
    state = token_state(t)
    return {
        "pk": t.pk,
        "name": t.name,
        "prefix": f"gpv_{t.prefix}_…",
        "scope": t.get_scope_display(),
        "state": state,
        "expires": when(t.expires_at),
        "last_used": when(t.last_used_at) if t.last_used_at else "Never",
        "created": f"{when(t.created_at)} by {t.created_by.email}",
        "can_revoke": state == "Active",
    }


def token_rows(tokens: list[ApiToken]) -> list[dict[str, Any]]:
    return [token_row(t) for t in tokens]
