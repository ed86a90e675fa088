"""Concurrent writers through the locking helper: nothing lost, nothing forked."""

import threading

import pytest
from django.db import connection, connections

from gpvoice.accounts.models import User
from gpvoice.core import audit
from gpvoice.core.models import AuditEntry, LeadershipGroup, Membership, Role
from gpvoice.core.services import membership_set

THREADS = 12


def _run_together(target, count: int) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            target(i)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_audit_appends_keep_one_unbroken_chain():
    group = LeadershipGroup.objects.create(name="Race group", slug="race")
    errors = _run_together(lambda i: audit.record(action="test.race", group=group, data={"i": i}), THREADS)
    assert errors == []
    assert AuditEntry.objects.filter(action="test.race").count() == THREADS
    report = audit.verify_chain()
    assert report.ok, f"chain broken at {report.first_broken_id} on {connection.vendor}"


@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_leave_one_membership():
    group = LeadershipGroup.objects.create(name="Race group", slug="race")
    user = User.objects.create_user(email="racer@example.test")
    errors = _run_together(lambda i: membership_set(group=group, user=user, role=Role.CORE), THREADS)
    assert errors == []
    assert Membership.objects.filter(group=group, user=user).count() == 1
