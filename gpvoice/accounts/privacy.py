"""Accounts' personal data: users, invitations and allauth's sign-in records (core.personal_data)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Q, QuerySet

from gpvoice.core import personal_data as pd

from .models import Invitation, User


def _erase_users(subject: pd.Subject, rows: QuerySet[Any]) -> int:
    changed = 0
    for user in rows:
        # A unique, undeliverable address; no password, no staff rights: the account cannot be used.
        changed += User.objects.filter(pk=user.pk).update(
            email=f"erased-user-{user.pk}@erased.invalid",
            full_name=subject.pseudonym,
            is_active=False,
            is_staff=False,
            is_superuser=False,
            last_login=None,
            password=make_password(None),
        )
    return changed


pd.register(
    User,
    find=lambda s: Q(pk=s.user.pk) if s.user is not None else Q(pk__in=[]),
    export=("email", "full_name", "is_active", "is_staff", "is_superuser", "date_joined", "last_login"),
    erase=_erase_users,
    erasure="Name replaced by the pseudonym, email by an undeliverable address; deactivated, no password.",
)
pd.register(
    Invitation,
    find=pd.by(email=["email"], user=["accepted_by", "revoked_by"]),
    export=("group", "email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"),
    erase=pd.replace(email=lambda s: s.erased_email),
    erasure="The address the invitation went to is replaced; deleted anyway after the retention period.",
)
pd.register(
    EmailAddress,
    find=pd.by(user=["user"], email=["email"]),
    export=("email", "verified", "primary"),
    erase=pd.delete,
    erasure="Deleted.",
)
pd.register(
    EmailConfirmation,
    find=pd.by(user=["email_address__user"]),
    export=("created", "sent"),
    erase=pd.delete,
    erasure="Deleted.",
)
pd.register(
    Authenticator,
    find=pd.by(user=["user"]),
    export=("type", "created_at", "last_used_at"),  # never ``data``: it holds the secrets
    erase=pd.delete,
    erasure="Deleted (authenticator app and recovery codes).",
)


def _expired_invitations(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_INVITATIONS_DAYS)
    done = Invitation.objects.filter(
        Q(accepted_at__lt=cutoff) | Q(accepted_at__isnull=True, expires_at__lt=cutoff)
    )
    return done.delete()[0]


def _old_sign_in_records(now: datetime) -> int:
    cutoff = now - timedelta(days=settings.RETENTION_SIGN_IN_DAYS)
    return EmailConfirmation.objects.filter(created__lt=cutoff).delete()[0]


pd.register_retention(
    name="invitations",
    setting="RETENTION_INVITATIONS_DAYS",
    apply=_expired_invitations,
    description="invitations used or expired more than the period ago",
)
pd.register_retention(
    name="email confirmations",
    setting="RETENTION_SIGN_IN_DAYS",
    apply=_old_sign_in_records,
    description="allauth's email confirmations created more than the period ago",
)
