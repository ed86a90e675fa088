"""Concurrent writers through the locking helper: nothing lost, nothing forked."""

import pytest
from django.db import connection

from gpvoice.accounts.models import User
from gpvoice.core import audit
from gpvoice.core.models import AuditEntry, LeadershipGroup, Membership, Role
from gpvoice.core.services import membership_set

from .threads import run_together

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_audit_appends_keep_one_unbroken_chain():
    group = LeadershipGroup.objects.create(name="Race group", slug="race")
    errors = run_together(
        [lambda i=i: audit.record(action="test.race", group=group, data={"i": i}) for i in range(THREADS)]
    )
    assert errors == []
    assert AuditEntry.objects.filter(action="test.race").count() == THREADS
    report = audit.verify_chain()
    assert report.ok, f"chain broken at {report.first_broken_id} on {connection.vendor}"


@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_leave_one_membership():
    group = LeadershipGroup.objects.create(name="Race group", slug="race")
    user = User.objects.create_user(email="racer@example.test")
    errors = run_together([lambda: membership_set(group=group, user=user, role=Role.CORE)] * THREADS)
    assert errors == []
    assert Membership.objects.filter(group=group, user=user).count() == 1
