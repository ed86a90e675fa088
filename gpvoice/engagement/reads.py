"""Read receipts: the first time a recipient opens a bulletin in the web archive.

A receipt is a fact for the engagement view ("read bulletins, where known"), not an event of the
group's governance, so it is not written to the audit log; it only ever fills an empty ``read_at``.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import Bulletin, BulletinDelivery


def note_read(*, bulletin: Bulletin, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        BulletinDelivery.objects.filter(bulletin=bulletin, person__user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )
