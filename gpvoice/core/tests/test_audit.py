import pytest

from gpvoice.core import audit
from gpvoice.core.models import AuditEntry, AuditLogIsAppendOnly


@pytest.mark.django_db
def test_entries_chain_and_verify(group):
    audit.record(action="test.one", group=group, data={"n": 1})
    audit.record(action="test.two", group=group, data={"n": 2})
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.previous_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
    report = audit.verify_chain()
    assert report.ok and report.checked == len(entries)


@pytest.mark.django_db
def test_changing_an_entry_is_refused(group):
    entry = audit.record(action="test.one", group=group)
    entry.action = "test.forged"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()


@pytest.mark.django_db
def test_tampering_in_the_database_is_detected(group):
    audit.record(action="test.one", group=group, data={"n": 1})
    second = audit.record(action="test.two", group=group, data={"n": 2})
    audit.record(action="test.three", group=group)
    AuditEntry.objects.filter(pk=second.pk).update(data={"n": 99})  # bypasses save(), as an attacker would
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_broken_id == second.pk
