"""Demo partner tokens: one in use and one revoked per group, made through the audited services."""

from __future__ import annotations

from gpvoice.api.models import ApiToken
from gpvoice.api.services import token_create, token_revoke
from gpvoice.core.models import LeadershipGroup, Membership, Role


def load_tokens(group: LeadershipGroup) -> str | None:
    """The new read token's text (shown once), or None when the group already has demo tokens."""
    if ApiToken.objects.filter(group=group).exists():
        return None
    admin = Membership.objects.select_related("user").get(
        group=group, user__email=f"admin@{group.slug}.example.nhs.uk", role=Role.ADMIN
    )
    _, text = token_create(
        group=group, name="Demo ICB intranet", scope="read", valid_days=90, actor=admin.user
    )
    old, _ = token_create(
        group=group, name="Old reporting tool", scope="read", valid_days=30, actor=admin.user
    )
    token_revoke(token=old, actor=admin.user)
    return text
