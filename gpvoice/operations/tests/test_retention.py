"""Retention: personal data past its period goes, at exactly the documented boundary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from gpvoice.accounts.models import Invitation
from gpvoice.core.models import AuditEntry, Role
from gpvoice.operations.services.retention import retention_apply

NOW = timezone.now()
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


def invite(group, inviter, n, *, expires_at, accepted_at=None):
    return Invitation.objects.create(
        group=group,
        email=f"person{n}@nhs.test",
        role=Role.OBSERVER,
        token_hash=f"{n:064d}",
        invited_by=inviter,
        expires_at=expires_at,
        accepted_at=accepted_at,
    )


@pytest.mark.django_db
@override_settings(RETENTION_INVITATIONS_DAYS=90)
def test_invitations_go_once_used_or_expired_more_than_the_period_ago(group, personas):
    admin = personas[Role.ADMIN]
    cutoff = NOW - 90 * DAY
    keep = [
        invite(group, admin, 1, expires_at=cutoff),  # expired exactly 90 days ago: not yet
        invite(group, admin, 2, expires_at=NOW + DAY),  # still usable
        invite(group, admin, 3, expires_at=cutoff - DAY, accepted_at=cutoff),  # used exactly 90 days ago
    ]
    gone = [
        invite(group, admin, 4, expires_at=cutoff - SECOND),
        invite(group, admin, 5, expires_at=NOW, accepted_at=cutoff - SECOND),
    ]
    deleted = retention_apply(now=NOW)
    assert deleted["invitations"] == 2
    assert set(Invitation.objects.values_list("pk", flat=True)) == {i.pk for i in keep}
    assert not Invitation.objects.filter(pk__in=[i.pk for i in gone]).exists()
    entry = AuditEntry.objects.get(action="operations.retention.applied")
    assert entry.data["deleted"]["invitations"] == 2


@pytest.mark.django_db
@override_settings(RETENTION_SIGN_IN_DAYS=30)
def test_sign_in_records_go_after_their_period(personas):
    address = EmailAddress.objects.create(user=personas[Role.CORE], email="core@northvale.test")
    old = EmailConfirmation.objects.create(
        email_address=address, key="a" * 64, created=NOW - 30 * DAY - SECOND
    )
    recent = EmailConfirmation.objects.create(email_address=address, key="b" * 64, created=NOW - 30 * DAY)
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=NOW - SECOND)
    deleted = retention_apply(now=NOW)
    assert deleted["email confirmations"] == 1 and deleted["expired sessions"] == 1
    assert list(EmailConfirmation.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not EmailConfirmation.objects.filter(pk=old.pk).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


@pytest.mark.django_db
def test_a_run_with_nothing_to_delete_writes_no_audit_entry(capsys):
    call_command("apply-retention")
    out = capsys.readouterr().out
    assert "RETENTION_INVITATIONS_DAYS" in out and "0 deleted" in out
    assert not AuditEntry.objects.filter(action="operations.retention.applied").exists()
