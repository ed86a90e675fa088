"""The append-only audit log: one hash chain per group, plus one for events of no group.

Each entry carries its chain, its place in it (1, 2, 3 … with no gaps) and the hash of the entry
before it in the same chain. Appending locks only that chain's head row, so writers in different
groups never wait for each other. Lock order (ADR 2): a service locks its domain rows first and
records last, so the chain head is always the last lock a transaction takes; waiting for it longer
than ``AUDIT_LOCK_TIMEOUT_MS`` (PostgreSQL) gives ``AuditChainBusy`` rather than a hung request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connection, models, transaction
from django.utils import timezone

from .locking import lock_row
from .models import GENESIS_HASH, AuditChain, AuditEntry, LeadershipGroup

GENESIS = GENESIS_HASH
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout expires
DEFAULT_LOCK_TIMEOUT_MS = 10_000


class AuditChainBusy(Exception):
    """The chain's head stayed locked by another writer for longer than the lock timeout."""


def _digest(*, previous_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def _hashed_fields(entry: AuditEntry, chain_key: str) -> dict[str, Any]:
    return {
        "chain": chain_key,
        "sequence": entry.sequence,
        "at": entry.at.isoformat(),
        "actor": entry.actor_label,
        "group": entry.group_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
    }


@contextmanager
def _lock_timeout(key: str) -> Iterator[None]:
    """Wait at most the configured time for a chain head (PostgreSQL), then refuse clearly.

    SQLite needs nothing here: writers queue for the database lock (``BEGIN IMMEDIATE``) with the
    connection's own ``timeout``.
    """
    if connection.vendor != "postgresql":
        yield
        return
    limit = int(getattr(settings, "AUDIT_LOCK_TIMEOUT_MS", DEFAULT_LOCK_TIMEOUT_MS))
    with connection.cursor() as cursor:
        # One round trip: the transaction's own setting is read before ours replaces it (a target
        # list is evaluated in order; test_the_lock_timeout_applies_only_while_taking_the_chain).
        cursor.execute(
            "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, true)", [f"{limit}ms"]
        )
        previous = cursor.fetchone()[0]
    try:
        yield
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise AuditChainBusy(
                f"The audit log for {key} is busy: another change held it for more than "
                f"{limit / 1000:g} s. Nothing was saved; try again."
            ) from error
        raise
    with connection.cursor() as cursor:
        # Back to the transaction's own setting, so later statements are not cut short by ours.
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])


def _chain_for_update(group_id: int | None) -> AuditChain:
    key = AuditChain.key_for(group_id)
    with _lock_timeout(key):
        try:
            # The chain head is the tip of its chain: one appender per chain at a time.
            return lock_row(AuditChain.objects.all(), key=key)
        except AuditChain.DoesNotExist:
            pass
        # The chain's first entry. Two first writers may race here: the unique key lets one insert;
        # the other's insert waits for that transaction, fails, and get_or_create reads the winner's row.
        AuditChain.objects.get_or_create(key=key, defaults={"group_id": group_id})
        return lock_row(AuditChain.objects.all(), key=key)


@transaction.atomic(savepoint=False)  # inside a service's transaction: its failure fails the whole write
def record(
    *,
    action: str,
    actor: Any = None,
    group: LeadershipGroup | None = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the group's chain (or the platform's); ``action`` is dotted.

    Call it last in the service's transaction, after the domain rows are locked and written.
    """
    chain = _chain_for_update(group.pk if group is not None else None)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        chain=chain,
        sequence=chain.last_sequence + 1,
        actor=actor_obj,
        actor_label=str(getattr(actor_obj, "email", "") or "system"),
        group=group,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
        previous_hash=chain.last_hash,
    )
    entry.entry_hash = _digest(previous_hash=chain.last_hash, fields=_hashed_fields(entry, chain.key))
    entry.save()
    AuditChain.objects.filter(pk=chain.pk).update(last_sequence=entry.sequence, last_hash=entry.entry_hash)
    return entry


@dataclass(frozen=True)
class Event:
    """One entry for ``record_many``: what ``record`` takes, with the object named by type and id."""

    action: str
    actor_id: int | None = None
    actor_label: str = "system"
    object_type: str = ""
    object_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)


AUDIT_COLUMNS = (
    "id", "chain_id", "sequence", "at", "actor_id", "actor_label", "group_id", "action",
    "object_type", "object_id", "data", "previous_hash", "entry_hash",
)  # fmt: skip


@transaction.atomic
def record_many(
    *, group: LeadershipGroup | None, events: Iterable[Event], at: Any = None, batch_size: int = 5000
) -> int:
    """Append many entries to one chain in one transaction, hashed exactly as ``record`` hashes
    them and written in batches (``core.bulk``). For loaders that write their rows in bulk
    (``gpvoice load-scale``): the entries are the ones the services would have written, so the
    chain verifies. Returns how many entries were appended."""
    from .bulk import Table

    chain = _chain_for_update(group.pk if group is not None else None)
    table = Table(AuditEntry, AUDIT_COLUMNS)
    at = at or timezone.now()
    group_id = group.pk if group is not None else None
    sequence, previous = chain.last_sequence, chain.last_hash
    entry = AuditEntry(chain=chain, at=at, group_id=group_id)  # reused to hash each event
    rows: list[tuple[Any, ...]] = []
    written = 0

    def flush() -> int:
        ids = table.reserve_ids(len(rows))
        return table.write((pk, *row) for pk, row in zip(ids, rows, strict=True))

    for event in events:
        sequence += 1
        data = json.loads(json.dumps(event.data, cls=DjangoJSONEncoder))
        entry.sequence, entry.actor_label, entry.action = sequence, event.actor_label, event.action
        entry.object_type, entry.object_id, entry.data = event.object_type, event.object_id, data
        digest = _digest(previous_hash=previous, fields=_hashed_fields(entry, chain.key))
        rows.append(
            (chain.pk, sequence, at, event.actor_id, event.actor_label, group_id, event.action,
             event.object_type, event.object_id, data, previous, digest)
        )  # fmt: skip
        previous = digest
        if len(rows) >= batch_size:
            written, rows = written + flush(), []
    if rows:
        written += flush()
    AuditChain.objects.filter(pk=chain.pk).update(last_sequence=sequence, last_hash=previous)
    return written


# Refusals that are kept -------------------------------------------------------------------------


class RefusalInsideFailedWrite(RuntimeError):
    pass


def record_refusal(**fields: Any) -> AuditEntry:
    """Record a decision that stands although the write it refused is rolled back.

    Call it after the write's atomic block has ended: an entry recorded inside a transaction that
    then raises is rolled back with it. It commits on its own (or joins the caller's surrounding
    transaction, such as a test's, when there is one).
    """
    if connection.in_atomic_block and connection.needs_rollback:
        raise RefusalInsideFailedWrite(
            "record_refusal() was called inside a transaction that is being rolled back, so the "
            "entry would be lost with it. Call it after the write's atomic block has ended."
        )
    with transaction.atomic():
        return record(**fields)


@dataclass
class Kept:
    """Entries recorded whether or not the write goes through (see ``atomic_keeping``)."""

    entries: list[dict[str, Any]] = field(default_factory=list)

    def record(self, **fields: Any) -> None:
        """Record this entry when the block ends: in its transaction, or on its own if refused."""
        self.entries.append(fields)


@contextmanager
def atomic_keeping(*refusals: type[Exception]) -> Iterator[Kept]:
    """A write transaction whose ``kept.record(...)`` entries survive one of ``refusals``.

    When the block completes, the kept entries are recorded inside its transaction, after the
    block's own writes (so the chain head is still the last lock taken). When it raises one of
    ``refusals``, the block's writes and entries are rolled back as usual, then the kept entries are
    recorded in a transaction of their own and the refusal goes on up. Other errors keep nothing.
    """
    kept = Kept()
    try:
        with transaction.atomic():
            yield kept
            for fields in kept.entries:
                record(**fields)
    except refusals:
        for fields in kept.entries:
            record_refusal(**fields)
        raise


# Verification -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    """What verifying one chain (or, from ``verify_chain()``, all of them) found."""

    checked: int
    first_broken_id: int | None
    chain: str = ""
    group_id: int | None = None
    problem: str = ""
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problem


def _problem(entry: AuditEntry, chain: AuditChain, previous: str, place: int) -> str:
    if entry.sequence != place:
        return f"expected place {place} in the chain, found {entry.sequence}: entries are missing or moved"
    if entry.group_id != chain.group_id:
        return "the entry belongs to another group than its chain"
    if entry.previous_hash != previous:
        return "the entry does not follow the one before it"
    if entry.entry_hash != _digest(previous_hash=previous, fields=_hashed_fields(entry, chain.key)):
        return "the entry was changed after it was written"
    return ""


def _verify(chain: AuditChain) -> ChainReport:
    previous, checked = GENESIS, 0
    for entry in chain.entries.order_by("sequence", "id").iterator(chunk_size=2000):
        problem = _problem(entry, chain, previous, checked + 1)
        if problem:
            return ChainReport(checked, entry.pk, chain.key, chain.group_id, problem, previous)
        previous, checked = entry.entry_hash, checked + 1
    if (chain.last_sequence, chain.last_hash) != (checked, previous):
        problem = (
            f"the chain's head records {chain.last_sequence} entries, {checked} are left: "
            "the last were removed"
        )
        return ChainReport(checked, None, chain.key, chain.group_id, problem, previous)
    return ChainReport(checked, None, chain.key, chain.group_id, "", previous)


def verify_all_chains() -> list[ChainReport]:
    """Recompute every chain (the platform's and each group's); one report per chain."""
    return [_verify(chain) for chain in AuditChain.objects.order_by("id")]


def verify_chain(chain: AuditChain | None = None) -> ChainReport:
    """One chain's report; with no chain, the first broken chain's report or a total for all."""
    if chain is not None:
        return _verify(chain)
    reports = verify_all_chains()
    broken = [report for report in reports if not report.ok]
    return broken[0] if broken else ChainReport(sum(r.checked for r in reports), None, "all")
