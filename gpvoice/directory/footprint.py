"""Which practices each group's footprint holds, resolved once per change and kept in
``FootprintPractice`` (ADR 0008).

A footprint is a set of entries (ICBs, sub-ICB locations, PCNs, practices). Resolving it means
four OR-ed conditions over the whole directory, too slow to repeat on every request at national
size, so it is resolved here when something it depends on changes, in the transaction that
changes it:

- an entry added or removed (``directory.services`` footprint_add/remove, or any ORM write of a
  ``FootprintEntry``: the signal handlers below);
- a practice saved through the ORM (its PCN, sub-ICB, ICB, status or list size may have moved);
- a directory import, which writes in bulk without signals and calls ``after_import`` itself.

After each refresh ``footprints_changed`` is sent with the groups touched, so that apps built on
the directory (governance's mandate coverage) bring their own aggregates into step in the same
transaction. The directory never imports them: they connect to the signal.

Lock discipline: a refresh locks the groups' rows (ascending id) before it reads or writes their
``FootprintPractice`` rows, the same lock footprint_add/remove take, so two refreshes of one group
serialise and neither writes from a stale resolution. Receivers lock what they keep below the
group (governance locks the group's mandate rounds, ascending id), so the order is always
group, then its rounds, and never the reverse.

The group lock is ``FOR NO KEY UPDATE`` (``lock_group``), not ``FOR UPDATE``: a mandate answer
holds its round's lock and then inserts rows that reference the group (its audit entry), which
takes ``FOR KEY SHARE`` on the group row. ``FOR UPDATE`` would block that insert while the
footprint change waits for the round: a deadlock PostgreSQL found in
governance/tests/test_aggregate_races.py. ``NO KEY UPDATE`` still serialises footprint writers
(and every ``lock_row`` of the group) but lets references to the group through.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from gpvoice.core.locking import NotInTransaction
from gpvoice.core.models import LeadershipGroup

from .models import FootprintEntry, FootprintPractice, Organisation, OrgType

# Sent (inside the transaction) with ``group_ids``: a sorted list of the groups whose footprint
# was refreshed. Their practices, or those practices' PCNs, statuses or list sizes, may differ.
footprints_changed = Signal()

# Above this many practices changed in one import, every group with a footprint is refreshed:
# one pass over all groups is cheaper than finding the few a national file did not touch.
ALL_GROUPS_ABOVE = 2000


def resolve(group_id: int) -> set[int]:
    """The practices (any status) a group's entries take in, from the directory as it is now."""
    chosen = FootprintEntry.objects.filter(group_id=group_id).values("organisation_id")
    return set(
        Organisation.objects.filter(org_type=OrgType.PRACTICE)
        .filter(Q(pk__in=chosen) | Q(pcn_id__in=chosen) | Q(sub_icb_id__in=chosen) | Q(icb_id__in=chosen))
        .values_list("pk", flat=True)
    )


def stored(group_id: int) -> set[int]:
    return set(FootprintPractice.objects.filter(group_id=group_id).values_list("practice_id", flat=True))


def _sync(group_id: int) -> None:
    wanted, have = resolve(group_id), stored(group_id)
    if gone := have - wanted:
        FootprintPractice.objects.filter(group_id=group_id, practice_id__in=gone).delete()
    if new := wanted - have:
        FootprintPractice.objects.bulk_create(
            [FootprintPractice(group_id=group_id, practice_id=pk) for pk in sorted(new)], batch_size=1000
        )


def lock_groups(group_ids: Iterable[int]) -> list[int]:
    """Lock these groups' rows, ascending id, ``FOR NO KEY UPDATE`` (why: the module docstring)."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("lock_groups() must be called inside transaction.atomic().")
    return list(
        LeadershipGroup.objects.select_for_update(no_key=True)
        .filter(pk__in=set(group_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def refresh(group_ids: Iterable[int]) -> list[int]:
    """Re-resolve these groups' footprints and tell the apps that keep aggregates over them."""
    ids = lock_groups(group_ids)  # group rows first, ascending; receivers lock below them
    for group_id in ids:
        _sync(group_id)
    if ids:
        footprints_changed.send(sender=FootprintPractice, group_ids=ids)
    return ids


def groups_touching(practice_ids: Iterable[int]) -> set[int]:
    """Groups whose footprint held these practices, or whose entries take them in now."""
    practice_ids = set(practice_ids)
    if not practice_ids:
        return set()
    if len(practice_ids) > ALL_GROUPS_ABOVE:
        return set(FootprintEntry.objects.values_list("group_id", flat=True)) | set(
            FootprintPractice.objects.values_list("group_id", flat=True).distinct()
        )
    parents = Organisation.objects.filter(pk__in=practice_ids).values_list(
        "pk", "pcn_id", "sub_icb_id", "icb_id"
    )
    orgs = {pk for row in parents for pk in row if pk}
    held = FootprintPractice.objects.filter(practice_id__in=practice_ids).values_list("group_id", flat=True)
    entered = FootprintEntry.objects.filter(organisation_id__in=orgs).values_list("group_id", flat=True)
    return set(held) | set(entered)


def after_import(*, practice_ids: Iterable[int]) -> list[int]:
    """A directory import created, moved, closed, reopened or re-sized these practices."""
    return refresh(groups_touching(practice_ids))


def rebuild(group: LeadershipGroup | None = None) -> list[int]:
    """Every group's footprint (or one group's), resolved afresh, with the aggregates over them."""
    if group is not None:
        return refresh([group.pk])
    return refresh(LeadershipGroup.objects.values_list("pk", flat=True))


def differences(group: LeadershipGroup | None = None) -> list[str]:
    """What the stored footprints get wrong, for ``gpvoice recount --check``; empty when right."""
    groups = [group] if group is not None else list(LeadershipGroup.objects.order_by("pk"))
    problems = []
    for g in groups:
        wanted, have = resolve(g.pk), stored(g.pk)
        if wanted != have:
            problems.append(
                f"footprint of {g.slug}: {len(wanted - have)} practice(s) missing, "
                f"{len(have - wanted)} held that it no longer takes in"
            )
    return problems


# Writes through the ORM keep the table in step (bulk writes call refresh or after_import) -----


@receiver(post_save, sender=FootprintEntry, dispatch_uid="footprint-entry-saved")
@receiver(post_delete, sender=FootprintEntry, dispatch_uid="footprint-entry-deleted")
def _entry_changed(sender: Any, instance: FootprintEntry, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh([instance.group_id])


@receiver(post_save, sender=Organisation, dispatch_uid="footprint-practice-saved")
def _practice_saved(sender: Any, instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.org_type != OrgType.PRACTICE:
        return  # fixtures load raw rows; `gpvoice recount` rebuilds after them
    if groups := groups_touching([instance.pk]):
        refresh(groups)
