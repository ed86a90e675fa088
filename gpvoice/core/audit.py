"""The append-only audit log. Each entry carries the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from .locking import lock_row
from .models import AuditChainHead, AuditEntry, LeadershipGroup

GENESIS = "0" * 64


def _digest(*, previous_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "group": entry.group_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
    }


@transaction.atomic
def record(
    *,
    action: str,
    actor: Any = None,
    group: LeadershipGroup | None = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; ``action`` is dotted, e.g. ``core.membership.added``."""
    AuditChainHead.objects.get_or_create(pk=1)
    # One appender at a time: the head row is the chain's tip.
    head = lock_row(AuditChainHead.objects.all(), pk=1)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=actor_obj,
        actor_label=str(getattr(actor_obj, "email", "") or "system"),
        group=group,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
        previous_hash=head.last_hash,
    )
    entry.entry_hash = _digest(previous_hash=head.last_hash, fields=_hashed_fields(entry))
    entry.save()
    AuditChainHead.objects.filter(pk=1).update(last_hash=entry.entry_hash)
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain() -> ChainReport:
    """Recompute every hash in order; report the first entry that does not match."""
    previous = GENESIS
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        expected = _digest(previous_hash=previous, fields=_hashed_fields(entry))
        if entry.previous_hash != previous or entry.entry_hash != expected:
            return ChainReport(checked=checked, first_broken_id=entry.pk)
        previous = entry.entry_hash
        checked += 1
    return ChainReport(checked=checked, first_broken_id=None)
