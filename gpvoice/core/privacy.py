"""Core's personal data: memberships and the audit log (core.personal_data)."""

from __future__ import annotations

from django.db.models import Q

from . import personal_data as pd
from .models import AuditEntry, LeadershipGroup, Membership


def _audit_rows(s: pd.Subject) -> Q:
    q = Q(pk__in=[])
    if s.user is not None:
        q |= Q(actor=s.user) | Q(object_type="accounts.User", object_id=str(s.user.pk))
    if s.person is not None:
        q |= Q(object_type="directory.Person", object_id=str(s.person.pk))
    return q


pd.register(
    Membership,
    find=pd.by(user=["user"]),
    export=("group", "role", "created_at", "named_publicly_at"),
    erase=pd.delete,
    erasure="Deleted: the erased user belongs to no group (the last admin of a group cannot be erased).",
)
pd.register(
    AuditEntry,
    find=_audit_rows,
    # The actor as a user id: another officer's email is not this person's data.
    export=("at", "actor", "group", "action", "object_type", "object_id", "data"),
    erase=pd.keep,
    erasure="Kept unchanged: its hashed fields cannot change without breaking the chain (ADR 6).",
)
pd.declare_none(LeadershipGroup, reason="A group's name and description describe the group, not a person.")
