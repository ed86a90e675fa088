"""Re-thread the one deployment-wide audit chain into one chain per group (and the platform's).

Before re-threading, the old chain is verified: a log that was tampered with is not re-hashed into
a valid-looking one. A deployment whose old chain is broken stops here with the entry named; an
operator who has looked into it may go on with GPVOICE_AUDIT_RETHREAD_BROKEN=1, and the break is
then written into the platform chain. Each step's hashing is copied here, as migrations must not
follow later changes to gpvoice.core.audit.
"""

import hashlib
import json
import os

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
BATCH = 1000


def _digest(previous_hash, fields):
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def _legacy_fields(entry):
    return {
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "group": entry.group_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
    }


def _chained_fields(entry, key):
    return {"chain": key, "sequence": entry.sequence, **_legacy_fields(entry)}


def _legacy_first_break(entries):
    previous = GENESIS
    for entry in entries.order_by("id").iterator(chunk_size=2000):
        if entry.previous_hash != previous or entry.entry_hash != _digest(previous, _legacy_fields(entry)):
            return entry.pk
        previous = entry.entry_hash
    return None


def _key(group_id):
    return "platform" if group_id is None else f"group:{group_id}"


def _append(chains, AuditChain, entry, db):
    key = _key(entry.group_id)
    if key not in chains:
        chains[key] = AuditChain.objects.using(db).create(key=key, group_id=entry.group_id)
    chain = chains[key]
    chain.last_sequence += 1
    entry.chain_id, entry.sequence, entry.previous_hash = chain.pk, chain.last_sequence, chain.last_hash
    entry.entry_hash = _digest(chain.last_hash, _chained_fields(entry, key))
    chain.last_hash = entry.entry_hash


def rethread(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChain = apps.get_model("core", "AuditChain")
    db = schema_editor.connection.alias
    entries = AuditEntry.objects.using(db)
    count = entries.count()
    if not count:
        return
    broken = _legacy_first_break(entries)
    if broken is not None and os.environ.get("GPVOICE_AUDIT_RETHREAD_BROKEN") != "1":
        raise RuntimeError(
            f"The audit log is broken at entry {broken} (gpvoice verify-audit on the earlier release "
            "says the same). Look into it first; to re-thread it anyway, set GPVOICE_AUDIT_RETHREAD_BROKEN=1."
        )
    chains, batch = {}, []
    for entry in entries.order_by("id").iterator(chunk_size=2000):
        _append(chains, AuditChain, entry, db)
        batch.append(entry)
        if len(batch) >= BATCH:
            AuditEntry.objects.using(db).bulk_update(
                batch, ["chain", "sequence", "previous_hash", "entry_hash"]
            )
            batch = []
    AuditEntry.objects.using(db).bulk_update(batch, ["chain", "sequence", "previous_hash", "entry_hash"])
    note = AuditEntry(
        at=timezone.now(),
        actor_label="system",
        action="core.audit.rethreaded",
        data={"entries": count, "legacy_chain_intact": broken is None, "legacy_first_broken_id": broken},
    )
    _append(chains, AuditChain, note, db)
    note.save(using=db)
    for chain in chains.values():
        chain.save(using=db, update_fields=["last_sequence", "last_hash"])


def unthread(apps, schema_editor):
    """Back to one chain in id order, hashed as the earlier release did."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    db = schema_editor.connection.alias
    previous, batch = GENESIS, []
    for entry in AuditEntry.objects.using(db).order_by("id").iterator(chunk_size=2000):
        entry.previous_hash = previous
        entry.entry_hash = previous = _digest(previous, _legacy_fields(entry))
        batch.append(entry)
        if len(batch) >= BATCH:
            AuditEntry.objects.using(db).bulk_update(batch, ["previous_hash", "entry_hash"])
            batch = []
    AuditEntry.objects.using(db).bulk_update(batch, ["previous_hash", "entry_hash"])
    AuditChainHead.objects.using(db).update_or_create(pk=1, defaults={"last_hash": previous})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_chains"),
    ]

    operations = [
        migrations.RunPython(rethread, unthread, elidable=False),
    ]
