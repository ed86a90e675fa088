"""An existing database's one audit chain is re-threaded into per-group chains that verify."""

import hashlib
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.models import AuditChain, AuditEntry

BEFORE = [("core", "0001_initial")]
AFTER = [("core", "0004_audit_chain_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def legacy_digest(previous: str, entry) -> str:
    """How the earlier release hashed an entry: one chain for the whole deployment."""
    fields = {
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "group": entry.group_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
    }
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(f"{previous}|{payload}".encode()).hexdigest()


def write_legacy_log(apps, groups):
    """Entries as the earlier release wrote them, interleaving two groups and the platform."""
    Entry = apps.get_model("core", "AuditEntry")
    previous = "0" * 64
    for n in range(7):
        entry = Entry(
            at=timezone.now(),
            actor_label="system",
            group_id=groups[n % 3],
            action=f"legacy.{n}",
            data={"n": n},
            previous_hash=previous,
        )
        entry.entry_hash = previous = legacy_digest(previous, entry)
        entry.save()
        entry.refresh_from_db()  # hash what the database gives back, as verification will
        assert entry.entry_hash == legacy_digest(entry.previous_hash, entry)
    apps.get_model("core", "AuditChainHead").objects.update_or_create(pk=1, defaults={"last_hash": previous})
    return Entry


@pytest.fixture
def legacy_apps(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(AFTER)
    # Going back to core 0001 also unapplied the other apps' migrations that need a later core
    # (resolved footprints, kept service levels): put every app back at its latest for the tests after.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def make_groups(apps):
    Group = apps.get_model("core", "LeadershipGroup")
    north = Group.objects.create(name="North", slug="north")
    south = Group.objects.create(name="South", slug="south")
    return [north.pk, south.pk, None]


def test_an_existing_log_is_rethreaded_into_chains_that_verify(legacy_apps):
    groups = make_groups(legacy_apps)
    write_legacy_log(legacy_apps, groups)
    migrate(AFTER)
    reports = {report.chain: report for report in audit.verify_all_chains()}
    assert all(report.ok for report in reports.values()), reports
    assert reports[f"group:{groups[0]}"].checked == 3  # entries 0, 3, 6
    assert reports[f"group:{groups[1]}"].checked == 2  # entries 1, 4
    assert reports["platform"].checked == 3  # entries 2, 5 and the note of the re-threading
    north = AuditChain.objects.get(group_id=groups[0])
    assert [e.action for e in north.entries.order_by("sequence")] == ["legacy.0", "legacy.3", "legacy.6"]
    note = AuditEntry.objects.get(action="core.audit.rethreaded")
    assert note.data == {"entries": 7, "legacy_chain_intact": True, "legacy_first_broken_id": None}
    audit.record(action="test.after")  # the platform chain goes on from the migrated head
    assert audit.verify_chain(AuditChain.objects.get(key="platform")).checked == 4

    apps = migrate(BEFORE)  # and back: one chain again, as the earlier release verifies it
    previous = "0" * 64
    for entry in apps.get_model("core", "AuditEntry").objects.order_by("id"):
        assert entry.previous_hash == previous and entry.entry_hash == legacy_digest(previous, entry)
        previous = entry.entry_hash
    assert apps.get_model("core", "AuditChainHead").objects.get(pk=1).last_hash == previous


def test_a_tampered_log_is_not_rethreaded_into_a_valid_one(legacy_apps):
    groups = make_groups(legacy_apps)
    Entry = write_legacy_log(legacy_apps, groups)
    forged = Entry.objects.order_by("id")[3]
    Entry.objects.filter(pk=forged.pk).update(data={"n": 99})
    hashes = list(Entry.objects.order_by("id").values_list("entry_hash", flat=True))
    with pytest.raises(RuntimeError, match=f"broken at entry {forged.pk}"):
        migrate(AFTER)
    assert list(Entry.objects.order_by("id").values_list("entry_hash", flat=True)) == hashes
    Entry.objects.filter(pk=forged.pk).update(data={"n": 3})  # put it back, so the fixture can migrate


def test_a_known_break_may_be_rethreaded_and_is_noted(legacy_apps, monkeypatch):
    groups = make_groups(legacy_apps)
    Entry = write_legacy_log(legacy_apps, groups)
    forged = Entry.objects.order_by("id")[3]
    Entry.objects.filter(pk=forged.pk).update(data={"n": 99})
    monkeypatch.setenv("GPVOICE_AUDIT_RETHREAD_BROKEN", "1")
    migrate(AFTER)
    assert all(report.ok for report in audit.verify_all_chains())
    note = AuditEntry.objects.get(action="core.audit.rethreaded")
    assert note.data["legacy_chain_intact"] is False
    assert note.data["legacy_first_broken_id"] == forged.pk
