"""Writes to groups and memberships: checked (core.rules, under the group's lock) and audited.

``actor=None`` is the system (a command, the demo loader, accepting a checked invitation); see
core.rules.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from . import audit, rules
from .locking import lock_row
from .models import LeadershipGroup, Membership, Role


class MembershipError(Exception):
    pass


@transaction.atomic
def group_create(*, name: str, slug: str, actor: Any = None, description: str = "") -> LeadershipGroup:
    """A new group: made by the platform (the system or a back-office staff user), never by a member."""
    if not (rules.is_system(actor) or getattr(actor, "is_staff", False)):
        raise MembershipError("Only the platform's administrators can create a group.")
    group = LeadershipGroup(name=name, slug=slug, description=description)
    group.full_clean()
    group.save()
    audit.record(action="core.group.created", actor=actor, group=group, obj=group, data={"slug": slug})
    return group


def _lock_group_for_roles(group: LeadershipGroup, actor: Any) -> LeadershipGroup:
    # The group row serialises role changes in a group, so two admins demoting or removing each
    # other at the same moment cannot both pass the "last admin" check and leave none.
    group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
    rules.require_admin(
        group,
        actor,
        message=f"Only an admin of {group.name} can change who is in it.",
        refuse=MembershipError,
    )
    return group


@transaction.atomic
def membership_set(*, group: LeadershipGroup, user: Any, role: Role | str, actor: Any = None) -> Membership:
    """Add a user to a group, or change their role there. A group always keeps one admin."""
    if role not in Role.values:
        raise MembershipError("Choose a role from the list.")
    role = Role(role)
    group = _lock_group_for_roles(group, actor)
    current = Membership.objects.filter(group=group, user=user).first()
    if current is not None and current.role == role:
        return current  # nothing to change, nothing to record
    if current is not None and current.role == Role.ADMIN and _is_last_admin(current):
        raise MembershipError("A group must keep at least one admin.")
    if current is None:
        membership = Membership.objects.create(group=group, user=user, role=role)
    else:
        membership, membership.role = current, role
        membership.save(update_fields=["role"])
    audit.record(
        action="core.membership.added" if current is None else "core.membership.role_changed",
        actor=actor,
        group=group,
        obj=membership,
        data={"user": user.email, "role": role.value, **({"was": current.role} if current else {})},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    group = _lock_group_for_roles(membership.group, actor)
    found = Membership.objects.select_related("user").filter(pk=membership.pk, group=group).first()
    if found is None:
        raise MembershipError("They are no longer a member of this group.")
    membership = found
    if membership.role == Role.ADMIN and _is_last_admin(membership):
        raise MembershipError("A group must keep at least one admin.")
    pk = membership.pk
    membership.delete()
    membership.pk = pk  # so that the record names the membership that was removed
    audit.record(
        action="core.membership.removed",
        actor=actor,
        group=group,
        obj=membership,
        data={"user": membership.user.email, "role": membership.role},
    )


def _is_last_admin(membership: Membership) -> bool:
    others = Membership.objects.filter(group_id=membership.group_id, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    return not others.exists()
