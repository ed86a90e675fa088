"""Creating and revoking API tokens: group admins only, each audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.core.selectors import membership_in

from . import tokens
from .models import ApiToken, Scope

LONGEST_VALIDITY_DAYS = 366


class TokenError(Exception):
    """A refusal fit to show the person who asked."""


def _require_admin(group: LeadershipGroup, actor: Any) -> None:
    # A person, never the system: a token's creator is on its record.
    if not rules.is_admin(membership_in(user=actor, group=group)):
        raise TokenError("Only a group admin can manage this group's API tokens.")


@transaction.atomic
def token_create(
    *, group: LeadershipGroup, name: str, scope: str, valid_days: int, actor: Any
) -> tuple[ApiToken, str]:
    """A new token and its text, which is shown once and never stored."""
    lock_row(LeadershipGroup.objects.all(), pk=group.pk)  # a group's tokens change one at a time
    _require_admin(group, actor)
    name = " ".join(str(name).replace("\x00", "").split())
    if not name or len(name) > 100:
        raise TokenError("Enter a name for the token of up to 100 characters, such as the system using it.")
    if scope not in Scope.values:
        raise TokenError("Choose read or read and write.")
    if not 1 <= valid_days <= LONGEST_VALIDITY_DAYS:
        raise TokenError(f"A token is valid for 1 to {LONGEST_VALIDITY_DAYS} days.")
    text, prefix, hashed = tokens.new_token()
    token = ApiToken.objects.create(
        group=group,
        name=name,
        prefix=prefix,
        token_hash=hashed,
        scope=scope,
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    audit.record(
        action="api.token.created",
        actor=actor,
        group=group,
        obj=token,
        data={"name": name, "scope": scope, "prefix": prefix, "expires": token.expires_at.isoformat()},
    )
    return token, text


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    token = lock_row(ApiToken.objects.select_related("group"), pk=token.pk)
    _require_admin(token.group, actor)
    if token.revoked_at is not None:
        raise TokenError("This token has already been revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        action="api.token.revoked", actor=actor, group=token.group, obj=token, data={"prefix": token.prefix}
    )
    return token
