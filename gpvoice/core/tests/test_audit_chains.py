"""One hash chain per group (plus the platform's): threading, verification, tampering, the command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gpvoice.core import audit
from gpvoice.core.models import AuditChain, AuditEntry


def chain_of(group):
    return AuditChain.objects.get(key=AuditChain.key_for(group.pk if group else None))


def entries_of(group):
    return list(chain_of(group).entries.order_by("sequence"))


def report_for(group):
    key = AuditChain.key_for(group.pk if group else None)
    return next(report for report in audit.verify_all_chains() if report.chain == key)


@pytest.fixture
def three_chains(group, other_group):
    """Three entries in each group's chain and in the platform's, interleaved."""
    for n in range(3):
        audit.record(action="test.ours", group=group, data={"n": n})
        audit.record(action="test.theirs", group=other_group, data={"n": n})
        audit.record(action="test.platform", data={"n": n})
    return group, other_group


@pytest.mark.django_db
def test_each_group_has_its_own_chain_numbered_without_gaps(three_chains):
    group, other_group = three_chains
    for owner in (group, other_group, None):
        entries = entries_of(owner)
        assert all(entry.group == owner for entry in entries)
        assert [entry.sequence for entry in entries] == list(range(1, len(entries) + 1))
        assert entries[0].previous_hash == audit.GENESIS
        assert [e.previous_hash for e in entries[1:]] == [e.entry_hash for e in entries[:-1]]
        chain = chain_of(owner)
        assert (chain.last_sequence, chain.last_hash) == (len(entries), entries[-1].entry_hash)
    # group_create's entry opens each group's chain, then three test entries.
    assert [e.action for e in entries_of(group)] == ["core.group.created"] + ["test.ours"] * 3
    assert len(entries_of(None)) == 3


@pytest.mark.django_db
def test_verify_all_chains_reports_each_chain(three_chains):
    group, other_group = three_chains
    reports = {report.chain: report for report in audit.verify_all_chains()}
    assert set(reports) == {"platform", f"group:{group.pk}", f"group:{other_group.pk}"}
    assert all(report.ok for report in reports.values())
    assert reports[f"group:{group.pk}"].checked == 4
    assert reports[f"group:{group.pk}"].group_id == group.pk
    assert reports["platform"].checked == 3
    assert audit.verify_chain().checked == 11  # the old single-report call still totals them


@pytest.mark.django_db
def test_an_edited_entry_is_reported_for_its_chain_only(three_chains):
    group, other_group = three_chains
    second = entries_of(group)[2]
    AuditEntry.objects.filter(pk=second.pk).update(data={"n": 99})  # bypasses save(), as an attacker would
    report = report_for(group)
    assert not report.ok
    assert (report.first_broken_id, report.checked) == (second.pk, 2)
    assert "changed" in report.problem
    assert report_for(other_group).ok and report_for(None).ok
    assert audit.verify_chain().first_broken_id == second.pk


@pytest.mark.django_db
def test_a_deleted_entry_is_reported_at_the_one_after_it(three_chains):
    group, other_group = three_chains
    entries = entries_of(other_group)
    AuditEntry.objects.filter(pk=entries[1].pk)._raw_delete("default")  # no model delete(): raw SQL
    report = report_for(other_group)
    assert (report.ok, report.first_broken_id, report.checked) == (False, entries[2].pk, 1)
    assert "missing" in report.problem
    assert report_for(group).ok


@pytest.mark.django_db
def test_removing_the_last_entries_is_reported_from_the_chain_head(three_chains):
    group, _ = three_chains
    last = entries_of(group)[-1]
    AuditEntry.objects.filter(pk=last.pk)._raw_delete("default")
    report = report_for(group)
    assert (report.ok, report.first_broken_id, report.checked) == (False, None, 3)
    assert "removed" in report.problem


@pytest.mark.django_db
def test_reordered_entries_are_reported(three_chains):
    group, _ = three_chains
    _, first, second, _ = entries_of(group)
    # Swap two entries' places (through a free place, as the unique constraint demands).
    AuditEntry.objects.filter(pk=first.pk).update(sequence=1000)
    AuditEntry.objects.filter(pk=second.pk).update(sequence=first.sequence)
    AuditEntry.objects.filter(pk=first.pk).update(sequence=second.sequence)
    report = report_for(group)
    assert (report.ok, report.first_broken_id, report.checked) == (False, second.pk, 1)


@pytest.mark.django_db
def test_an_entry_moved_to_another_groups_chain_breaks_both(three_chains):
    group, other_group = three_chains
    moved = entries_of(group)[-1]
    AuditEntry.objects.filter(pk=moved.pk).update(chain=chain_of(other_group), sequence=10, group=other_group)
    assert not report_for(group).ok
    report = report_for(other_group)
    assert (report.ok, report.first_broken_id) == (False, moved.pk)


@pytest.mark.django_db
def test_the_command_reports_every_chain_and_fails_on_a_break(three_chains, capsys):
    group, other_group = three_chains
    call_command("verify-audit")
    out = capsys.readouterr().out
    assert f"Audit chain intact: group:{group.pk}, 4 entries" in out
    assert "Audit chain intact: platform, 3 entries" in out
    assert "All 3 audit chains intact: 11 entries." in out

    broken = entries_of(other_group)[1]
    AuditEntry.objects.filter(pk=broken.pk).update(action="test.forged")
    with pytest.raises(CommandError, match=rf"1 of 3 audit chains broken: group:{other_group.pk}\."):
        call_command("verify-audit")
    out = capsys.readouterr().out
    assert f"Audit chain BROKEN: group:{other_group.pk} at entry {broken.pk} after 1 good entries" in out
    assert f"Audit chain intact: group:{group.pk}," in out


@pytest.mark.django_db
def test_a_group_made_without_the_service_gets_its_chain_on_first_entry(db):
    from gpvoice.core.models import LeadershipGroup

    group = LeadershipGroup.objects.create(name="Bare", slug="bare")
    assert not AuditChain.objects.filter(group=group).exists()
    entry = audit.record(action="test.first", group=group)
    assert (entry.chain.key, entry.chain.group, entry.sequence) == (f"group:{group.pk}", group, 1)
