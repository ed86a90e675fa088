"""The roll: who is a core member, attendee or observer, decided by the eligibility rule."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Person

from .. import selectors
from ..models import RollEntry, RollStatus
from .common import GovernanceError, lock_group, require_admin


def roll_add(*, group: LeadershipGroup, person: Person, status: str, actor: Any) -> RollEntry:
    """Put a person on the roll. The eligibility decision is kept on the record even when the
    roll refuses them (every refusal of core membership must be auditable): ``atomic_keeping``
    records it in a transaction of its own when the refusal rolls the write back."""
    if status not in RollStatus.values:
        raise GovernanceError("Choose core member, attendee or observer.")
    with audit.atomic_keeping(GovernanceError) as kept:
        group = lock_group(group)
        require_admin(group, actor, "change the roll")  # a permission refusal keeps nothing
        _refuse_if_on_roll(group, person)
        eligibility = selectors.eligibility_of(person=person, group=group)
        kept.record(
            action="governance.eligibility.decided",
            actor=actor,
            group=group,
            obj=person,
            data={"requested": status, "may_be_core": eligibility.may_be_core, "reason": eligibility.reason},
        )
        if status == RollStatus.CORE and not eligibility.may_be_core:
            raise GovernanceError(f"{person.full_name} cannot be a core member. {eligibility.reason}")
        entry = RollEntry.objects.create(
            group=group, person=person, status=status, basis=eligibility.reason, created_by=actor
        )
        audit.record(
            action="governance.roll.added",
            actor=actor,
            group=group,
            obj=entry,
            data={"person": person.full_name, "status": status},
        )
    return entry


def _refuse_if_on_roll(group: LeadershipGroup, person: Person) -> None:
    if RollEntry.objects.filter(group=group, person=person, end__isnull=True).exists():
        raise GovernanceError(f"{person.full_name} is already on the roll.")


@transaction.atomic
def roll_end(*, entry: RollEntry, actor: Any, on: date | None = None) -> RollEntry:
    # One writer per entry: two admins ending it at once end it once.
    entry = lock_row(RollEntry.objects.select_related("group", "person"), pk=entry.pk)
    require_admin(entry.group, actor, "change the roll")
    if entry.end is not None:
        raise GovernanceError(f"{entry.person.full_name} has already left the roll.")
    entry.end = on or timezone.localdate()
    entry.save(update_fields=["end"])
    audit.record(
        action="governance.roll.ended",
        actor=actor,
        group=entry.group,
        obj=entry,
        data={"person": entry.person.full_name, "status": entry.status},
    )
    return entry
