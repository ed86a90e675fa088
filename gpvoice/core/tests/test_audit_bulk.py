"""record_many: entries appended in bulk hash and chain exactly as record's, between them."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from gpvoice.core import audit
from gpvoice.core.models import AuditChain, AuditEntry
from gpvoice.directory import ods
from gpvoice.directory.models import OrgType


@pytest.mark.django_db
def test_bulk_entries_continue_the_chain_between_single_ones(group):
    audit.record(action="test.before", group=group)
    when = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
    kind, pk = "core.LeadershipGroup", str(group.pk)
    events = [audit.Event("test.bulk", None, "system", kind, pk, {"n": n, "at": when}) for n in range(3)]
    assert audit.record_many(group=group, events=events, batch_size=2) == 3
    audit.record(action="test.after", group=group)
    entries = list(AuditEntry.objects.filter(group=group).order_by("sequence"))
    assert [e.sequence for e in entries] == list(range(1, len(entries) + 1))
    assert [e.action for e in entries][-5:] == [
        "test.before",
        "test.bulk",
        "test.bulk",
        "test.bulk",
        "test.after",
    ]
    assert entries[-2].data == {"n": 2, "at": "2026-04-01T09:30:00Z"}  # as record() stores a datetime
    assert audit.verify_chain(AuditChain.objects.get(group=group)).ok


@pytest.mark.django_db
def test_a_changed_bulk_entry_is_detected(group):
    audit.record_many(group=group, events=[audit.Event("test.bulk", data={"n": n}) for n in range(3)])
    entry = AuditEntry.objects.filter(group=group, action="test.bulk").order_by("sequence")[1]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'test.forged' WHERE id = %s", [entry.pk])  # noqa: S608
    report = audit.verify_chain(AuditChain.objects.get(group=group))
    assert not report.ok and report.first_broken_id == entry.pk


@pytest.mark.parametrize(
    ("org_type", "code", "synthetic"),
    [
        (OrgType.PRACTICE, "Q90000", True),
        (OrgType.PRACTICE, "A81001", False),
        (OrgType.PRACTICE, "Z90000", False),  # the demo's old codes: a real letter, so not reserved
        (OrgType.PCN, "UQ9000", True),
        (OrgType.PCN, "U90000", False),
        (OrgType.SUB_ICB, "Q9900", True),
        (OrgType.SUB_ICB, "D2P2L", False),
        (OrgType.ICB, "Q9990", True),
        (OrgType.ICB, "QHM", False),
        (OrgType.REGION, "YQ9", True),
        (OrgType.REGION, "Y63", False),
    ],
)
def test_synthetic_codes_are_valid_and_never_a_real_form(org_type, code, synthetic):
    assert ods.is_valid(org_type, code)
    assert ods.is_synthetic(org_type, code) is synthetic


@pytest.mark.parametrize(
    ("org_type", "code"), [(OrgType.PCN, "UQ12345"), (OrgType.PCN, "UQ123"), (OrgType.REGION, "YQ12")]
)
def test_near_synthetic_codes_are_still_refused(org_type, code):
    assert not ods.is_valid(org_type, code)
