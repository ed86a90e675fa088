"""Writes to a group's footprint. Reference data itself is written only by the importers."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup

from .models import FootprintEntry, Organisation, OrgType

FOOTPRINT_TYPES = (OrgType.ICB, OrgType.SUB_ICB, OrgType.PCN, OrgType.PRACTICE)


class FootprintError(Exception):
    pass


def footprint_add(*, group: LeadershipGroup, organisation: Organisation, actor: Any) -> FootprintEntry:
    if organisation.org_type not in FOOTPRINT_TYPES:
        raise FootprintError("A footprint is made of ICBs, sub-ICB locations, PCNs or practices.")
    try:
        with transaction.atomic():
            entry = FootprintEntry.objects.create(group=group, organisation=organisation)
            audit.record(
                action="directory.footprint.added",
                actor=actor,
                group=group,
                obj=entry,
                data={"organisation": organisation.ods_code, "type": organisation.org_type},
            )
    except IntegrityError:
        raise FootprintError(f"{organisation.name} is already in the footprint.") from None
    return entry


@transaction.atomic
def footprint_remove(*, entry: FootprintEntry, actor: Any) -> None:
    audit.record(
        action="directory.footprint.removed",
        actor=actor,
        group=entry.group,
        obj=entry,
        data={"organisation": entry.organisation.ods_code},
    )
    entry.delete()
