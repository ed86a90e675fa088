"""Reads of groups and memberships, always scoped to the user asking."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf

from .models import AuditEntry, LeadershipGroup, Membership


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("group").order_by("group__name")


def membership_for(*, user: Any, slug: str) -> Membership | None:
    """The one way a request reaches a group: through the user's own membership of it."""
    return memberships_of(user=user).filter(group__slug=slug).first()


def membership_in(*, user: Any, group: LeadershipGroup) -> Membership | None:
    """The user's membership of a group they are already dealing with (services re-check it)."""
    return memberships_of(user=user).filter(group=group).first()


# How the people page may sort: by the name shown (the email when there is no name), ignoring case;
# the email breaks ties, so every page of the list is stable. The database reads it in order from the
# index accounts.User declares on the same expression.
SHOWN_NAME = Lower(Coalesce(NullIf("user__full_name", Value("")), "user__email", output_field=CharField()))
MEMBER_ORDER = {
    "name": (SHOWN_NAME.asc(), "user__email"),
    "role": ("role", SHOWN_NAME.asc(), "user__email"),
}


def group_members(*, group: LeadershipGroup, sort: str = "name") -> QuerySet[Membership]:
    """Sorted as the page shows them: by name, or by email for someone who has not given a name.
    The order is an expression, not an annotation, so that counting a page's total reads the
    memberships alone."""
    return Membership.objects.filter(group=group).select_related("user").order_by(*MEMBER_ORDER[sort])


def group_membership(*, group: LeadershipGroup, pk: int) -> Membership | None:
    return group_members(group=group).filter(pk=pk).first()


def group_audit_entries(*, group: LeadershipGroup) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(group=group).order_by("-id")
