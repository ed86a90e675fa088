"""Retention: delete personal data past its period. ``gpvoice apply-retention`` runs it; the
scheduled-task worker (issue 10, item 2) will call the same function daily."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core import personal_data as pd


@transaction.atomic
def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every registered rule; returns rows deleted per rule. Audited when anything went."""
    now = now or timezone.now()
    deleted = {rule.name: rule.apply(now) for rule in pd.retention_rules()}
    if any(deleted.values()):
        audit.record(action="operations.retention.applied", data={"deleted": deleted})
    return deleted
