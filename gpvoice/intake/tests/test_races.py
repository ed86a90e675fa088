"""Confirmations racing: threads released together, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gpvoice.core.tests.threads import run_together
from gpvoice.intake import kept, services
from gpvoice.intake.models import AccessRequest, MonthlyServiceLevel, ReferenceCounter, Status

from .conftest import submit


@pytest.mark.django_db(transaction=True)
def test_references_are_gap_free_when_many_confirm_at_once(group):
    tokens = [submit(group, ip=f"10.0.0.{i}", email=f"p{i}@x.nhs.test")[1] for i in range(10)]
    calls = [lambda t=t: services.request_verify(token=t) for t in tokens]
    assert run_together(calls, at_once=8) == []
    year = timezone.localdate().year
    references = sorted(AccessRequest.objects.values_list("reference", flat=True))
    assert references == [f"SPA-{year}-{n:04d}" for n in range(1, 11)]
    assert ReferenceCounter.objects.get(group=group, year=year).last == 10
    # Ten writers creating and moving the same month's kept figures at once: none lost.
    assert MonthlyServiceLevel.objects.get(group=group).received == 10
    assert kept.differences(group) == []


@pytest.mark.django_db(transaction=True)
def test_one_link_opened_twice_at_once_is_accepted_once(group):
    _, token = submit(group)
    calls = [lambda: services.request_verify(token=token) for _ in range(4)]
    assert run_together(calls, refusals=(services.IntakeError,)) == []
    request = AccessRequest.objects.get()
    assert request.status == Status.RECEIVED
    assert ReferenceCounter.objects.get(group=group).last == 1
    assert request.history.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_merging_two_requests_into_each_other_leave_one_open(group, officer):
    from .conftest import receive

    a, _ = receive(group)
    b, _ = receive(group, email="other@x.nhs.test")
    calls = [
        lambda: services.request_merge(request=a, into=b, actor=officer),
        lambda: services.request_merge(request=b, into=a, actor=officer),
    ]
    assert run_together(calls, refusals=(services.IntakeError,)) == []
    statuses = sorted(AccessRequest.objects.values_list("status", flat=True))
    assert statuses == [Status.CLOSED, Status.RECEIVED]
    assert AccessRequest.objects.filter(merged_into__isnull=False).count() == 1
