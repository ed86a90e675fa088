"""Who may do what in a group: the one place services ask before they write.

Every write service calls one of these *inside its transaction, after taking its lock*, so the
same rule holds from a page, the API, the back office and a command.

``actor=None`` means **the system**: a management command, the demo loader or a test fixture
acting with no person behind it. Only code that is not answering a request passes ``None``; a
view always passes ``request.user``, which is never ``None`` (an anonymous visitor is an
``AnonymousUser``, a member of nothing, and is refused like any outsider). See ADR 0002.

Presenters use the ``is_…`` predicates to hand templates ``can_…`` flags, so that no template
compares role strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .models import OFFICER_ROLES, LeadershipGroup, Membership, Role
from .selectors import membership_in

SYSTEM = None
"""The actor of writes made by the system itself (commands, the demo loader)."""


class NotAllowed(Exception):
    """The actor may not do this in this group. The message is fit to show them."""


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.ADMIN


def is_officer(membership: Membership | None) -> bool:
    return membership is not None and membership.role in OFFICER_ROLES


def require_role(
    group: LeadershipGroup,
    actor: Any,
    roles: Iterable[Role | str],
    *,
    message: str,
    refuse: type[Exception] = NotAllowed,
) -> Membership | None:
    """The actor's membership of ``group`` when it has one of ``roles``; ``None`` for the system.

    Raises ``refuse(message)`` otherwise, so each app keeps the error its pages already show.
    """
    if is_system(actor):
        return None
    membership = membership_in(user=actor, group=group)
    if membership is None or membership.role not in frozenset(roles):
        raise refuse(message)
    return membership


def require_member(
    group: LeadershipGroup, actor: Any, *, message: str = "", refuse: type[Exception] = NotAllowed
) -> Membership | None:
    return require_role(
        group, actor, Role, message=message or f"Only members of {group.name} can do this.", refuse=refuse
    )


def require_officer(
    group: LeadershipGroup, actor: Any, *, message: str = "", refuse: type[Exception] = NotAllowed
) -> Membership | None:
    default = f"Only the officers of {group.name} (its admins and executive) can do this."
    return require_role(group, actor, OFFICER_ROLES, message=message or default, refuse=refuse)


def require_admin(
    group: LeadershipGroup, actor: Any, *, message: str = "", refuse: type[Exception] = NotAllowed
) -> Membership | None:
    default = f"Only an admin of {group.name} can do this."
    return require_role(group, actor, {Role.ADMIN}, message=message or default, refuse=refuse)
