"""Writes to groups and memberships. Every write is audited."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from . import audit
from .models import LeadershipGroup, Membership, Role


class MembershipError(Exception):
    pass


@transaction.atomic
def group_create(*, name: str, slug: str, actor: Any = None, description: str = "") -> LeadershipGroup:
    group = LeadershipGroup(name=name, slug=slug, description=description)
    group.full_clean()
    group.save()
    audit.record(action="core.group.created", actor=actor, group=group, obj=group, data={"slug": slug})
    return group


def membership_set(*, group: LeadershipGroup, user: Any, role: Role | str, actor: Any = None) -> Membership:
    """Add a user to a group, or change their role there."""
    role = Role(role)
    current = Membership.objects.filter(group=group, user=user).first()
    if current and current.role == Role.ADMIN and role != Role.ADMIN and _is_last_admin(current):
        raise MembershipError("A group must keep at least one admin.")
    try:
        with transaction.atomic():
            membership, created = Membership.objects.update_or_create(
                group=group, user=user, defaults={"role": role}
            )
            audit.record(
                action="core.membership.added" if created else "core.membership.role_changed",
                actor=actor,
                group=group,
                obj=membership,
                data={"user": user.email, "role": role.value},
            )
    except IntegrityError:
        # A concurrent request created the same membership: the constraint kept it single.
        membership = Membership.objects.get(group=group, user=user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any) -> None:
    group = membership.group
    if membership.role == Role.ADMIN and _is_last_admin(membership):
        raise MembershipError("A group must keep at least one admin.")
    audit.record(
        action="core.membership.removed",
        actor=actor,
        group=group,
        obj=membership,
        data={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


def _is_last_admin(membership: Membership) -> bool:
    others = Membership.objects.filter(group_id=membership.group_id, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    return not others.exists()
