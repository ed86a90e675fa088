"""Reads for the glance pages: the registered sections, the public ones kept for a minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from gpvoice.core import glance
from gpvoice.core.glance import Section
from gpvoice.core.models import LeadershipGroup

from . import signing


@dataclass(frozen=True)
class PublicView:
    """The public page's sections as computed at ``computed_at`` (at most a minute ago)."""

    sections: list[Section]
    computed_at: datetime


def _public_key(group: LeadershipGroup) -> str:
    return f"glance:public:{group.pk}"


def public_view(group: LeadershipGroup) -> PublicView:
    """The registered public sections, computed at most once a minute per group (the cache holds
    only what the public page shows anyway)."""
    found = cache.get(_public_key(group))
    if found is None:
        found = PublicView(sections=glance.public(group), computed_at=timezone.now())
        cache.set(_public_key(group), found, glance.PUBLIC_MAX_AGE)
    return found


def forget_public(group: LeadershipGroup) -> None:
    cache.delete(_public_key(group))


def mandate_statement(group: LeadershipGroup) -> dict[str, Any] | None:
    """The signed statement of the mandate (from the public "mandate" section), or None without one."""
    view = public_view(group)
    mandate = next((s for s in view.sections if s.key == "mandate"), None)
    if mandate is None or not mandate.data:
        return None
    payload = {
        "group": {"slug": group.slug, "name": group.name},
        "issued_at": view.computed_at.isoformat(),
        "mandate": mandate.data,
    }
    return signing.sign(group, payload)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def recordable_practices(*, group: LeadershipGroup, user: Any) -> list[Any]:
    """The footprint practices whose record this user may read: those they sign for now (at most a
    handful; one query)."""
    from gpvoice.directory.models import Appointment
    from gpvoice.directory.selectors import footprint_practices

    today = timezone.localdate()
    signs = Appointment.objects.filter(person__user=user, is_signatory=True, start__lte=today).exclude(
        end__lt=today
    )
    return list(
        footprint_practices(group=group)
        .filter(pk__in=signs.values("organisation_id"))
        .order_by("name", "pk")[:20]
    )


def practice_for_record(*, group: LeadershipGroup, user: Any, code: str, officer: bool) -> Any | None:
    """The practice ``code`` when this user may read its record: a signatory of it, or an officer
    (for any practice of the footprint). None otherwise, another group's practice included."""
    from gpvoice.directory.selectors import footprint_practices

    if not code or len(code) > 10 or not code.isascii() or not code.isalnum():
        return None
    if officer:
        return footprint_practices(group=group).filter(ods_code=code.upper()).first()
    return next((p for p in recordable_practices(group=group, user=user) if p.ods_code == code.upper()), None)
