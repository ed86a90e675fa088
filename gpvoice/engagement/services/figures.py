"""An officer's request to recount the engagement view now, rather than wait for the night."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup

from .. import figures
from .checks import require_officer


@transaction.atomic
def engagement_refresh(*, group: LeadershipGroup, year: int, actor: Any) -> int:
    require_officer(group, actor)
    counted = figures.refresh(group, year)
    audit.record(action="engagement.figures.refreshed", actor=actor, group=group, data={"year": year})
    return counted
