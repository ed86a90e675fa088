"""Django's own models (admin history, sessions, permissions) in the personal-data registry.

Our apps register their models themselves; these belong to no app of ours.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.utils import timezone

from gpvoice.core import personal_data as pd


def _about(s: pd.Subject) -> Q:
    """Back-office history rows about the subject's person or user (their repr is the name)."""
    q = Q(pk__in=[])
    for obj in (s.person, s.user):
        if obj is not None:
            q |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
    return q


def _log_rows(s: pd.Subject) -> Q:
    return _about(s) | (Q(user=s.user) if s.user is not None else Q(pk__in=[]))


def _erase_log(subject: pd.Subject, rows: QuerySet[Any]) -> int:
    return (
        LogEntry.objects.filter(pk__in=rows.values("pk"))
        .filter(_about(subject))
        .update(object_repr=subject.pseudonym)
    )


def _sessions_of(s: pd.Subject) -> Q:
    if s.user is None:
        return Q(pk__in=[])
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(s.user.pk)
    ]
    return Q(session_key__in=keys)


pd.register(
    LogEntry,
    find=_log_rows,
    export=("action_time", "content_type", "object_id", "object_repr", "action_flag", "change_message"),
    erase=_erase_log,
    erasure="Back-office history about them names the pseudonym; what they changed is kept.",
)
pd.register(
    Session,
    find=_sessions_of,
    export=("expire_date",),
    erase=pd.delete,
    erasure="Their sessions are deleted: they are signed out everywhere.",
)
pd.declare_none(Group, reason="Django permission groups: names of roles, not of people.")
pd.declare_none(Permission, reason="Names of permissions.")


def _expired_sessions(now: datetime) -> int:
    return Session.objects.filter(expire_date__lt=now).delete()[0]


pd.register_retention(
    name="expired sessions",
    setting="SESSION_COOKIE_AGE",
    apply=_expired_sessions,
    description="sessions (with allauth's sign-in state and login codes) once expired",
)
