"""What every governance service shares: its refusals, the permission checks, text checks."""

from __future__ import annotations

from typing import Any

from gpvoice.core import rules, text
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup, Membership


class GovernanceError(Exception):
    """A refusal with a message fit to show the person who asked."""


class OutsidePowers(GovernanceError):
    """The executive may not take this decision; it can be referred to the group instead."""


def lock_group(group: LeadershipGroup) -> LeadershipGroup:
    # The group row serialises the group's governance writes that count or number things
    # (terms versions, mandate rounds, category names, the roll, the settings).
    return lock_row(LeadershipGroup.objects.all(), pk=group.pk)


def require_admin(group: LeadershipGroup, actor: Any, doing: str) -> Membership | None:
    """Only a group admin (or the system, ``actor=None``) may ``doing``; see core.rules."""
    return rules.require_admin(
        group, actor, message=f"Only an admin of {group.name} can {doing}.", refuse=GovernanceError
    )


def require_officer(group: LeadershipGroup, actor: Any, doing: str) -> Membership | None:
    return rules.require_officer(
        group,
        actor,
        message=f"Only the officers of {group.name} (its admins and executive) can {doing}.",
        refuse=GovernanceError,
    )


def clean_text(value: Any, *, name: str, limit: int, required: bool = True) -> str:
    """Text fit to store (core.text), refused as a GovernanceError."""
    return text.clean_text(value, name=name, limit=limit, required=required, refuse=GovernanceError)
