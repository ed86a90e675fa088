"""The group's governance settings: mandate thresholds, extra eligible roles, delegation grace."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import RoleType

from ..eligibility import ACTS_FOR_PRACTICES, SYSTEM_ROLES
from ..models import GovernanceSettings
from .common import GovernanceError, lock_group, require_admin

LARGEST_DENOMINATOR = 1000
LONGEST_GRACE_DAYS = 365
FIELDS = (
    "practices_share_num",
    "practices_share_den",
    "patients_share_num",
    "patients_share_den",
    "extra_eligible_roles",
    "delegation_grace_days",
)


def _share(num: Any, den: Any, of: str) -> tuple[int, int]:
    """A "more than" share strictly between nothing and everyone, e.g. 1 of 2 (more than half)."""
    if type(num) is not int or type(den) is not int or not 1 <= den <= LARGEST_DENOMINATOR:
        raise GovernanceError(
            f"Enter the share of {of} as whole numbers, out of 1 to {LARGEST_DENOMINATOR:,}."
        )
    if not 0 < num < den:
        raise GovernanceError(
            f"The share of {of} must be more than none and less than all of them ({num} out of {den} is not)."
        )
    return num, den


def _extra_roles(roles: Any) -> list[str]:
    if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
        raise GovernanceError("Choose the extra roles from the list.")
    unknown = [r for r in roles if r not in RoleType.values]
    if unknown:
        raise GovernanceError("Choose the extra roles from the list.")
    system = [RoleType(r).label for r in roles if r in SYSTEM_ROLES]
    if system:
        raise GovernanceError(
            f"{', '.join(system)} is a system role: its holders may attend but never be core members."
        )
    return sorted({r for r in roles if r not in ACTS_FOR_PRACTICES})


def governance_settings_update(
    *,
    group: LeadershipGroup,
    actor: Any,
    practices_share: tuple[Any, Any],
    patients_share: tuple[Any, Any],
    extra_eligible_roles: Any,
    delegation_grace_days: Any,
) -> GovernanceSettings:
    """Change the group's rules. Only an admin; every change is on the record with old and new."""
    with transaction.atomic():
        group = lock_group(group)  # one writer of the settings at a time, and creates them once
        require_admin(group, actor, "change the group's governance settings")
        p_num, p_den = _share(*practices_share, of="practices")
        q_num, q_den = _share(*patients_share, of="patients")
        roles = _extra_roles(extra_eligible_roles)
        if type(delegation_grace_days) is not int or not 0 <= delegation_grace_days <= LONGEST_GRACE_DAYS:
            raise GovernanceError(f"Enter the grace period as 0 to {LONGEST_GRACE_DAYS} days.")
        # Unsaved defaults when the group has never changed them: a no-op writes nothing.
        settings = GovernanceSettings.objects.filter(group=group).first() or GovernanceSettings(group=group)
        before = {name: getattr(settings, name) for name in FIELDS}
        new = dict(zip(FIELDS, (p_num, p_den, q_num, q_den, roles, delegation_grace_days), strict=True))
        if new == before:
            return settings
        for name, value in new.items():
            setattr(settings, name, value)
        settings.save()
        audit.record(
            action="governance.settings.changed",
            actor=actor,
            group=group,
            obj=settings,
            data={"from": before, "to": new},
        )
    return settings
