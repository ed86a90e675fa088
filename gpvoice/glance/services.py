"""Writes for the glance pages: switching the public page on or off, and a person's own consent to
be named on it. Each checks, changes and audits, in that order, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup, Membership


class GlanceError(Exception):
    """A refusal, worded for the person who asked."""


@transaction.atomic
def public_page_set(*, group: LeadershipGroup, enabled: bool, actor: Any) -> LeadershipGroup:
    """An officer switches the group's public page on or off."""
    # The group row: two officers switching at once are serialised, and each audit entry says
    # what the page really became.
    group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
    rules.require_officer(
        group, actor, message=f"Only the officers of {group.name} can publish its page.", refuse=GlanceError
    )
    if group.public_page == enabled:
        return group
    group.public_page = enabled
    group.save(update_fields=["public_page"])
    audit.record(
        action="glance.public_page.enabled" if enabled else "glance.public_page.disabled",
        actor=actor,
        group=group,
        obj=group,
    )
    return group


@transaction.atomic
def named_publicly_set(*, membership: Membership, agreed: bool, actor: Any) -> Membership:
    """A person agrees (or stops agreeing) to be named, with their role, on the public page. Only
    they can: an officer cannot consent for someone else."""
    # The membership row: a consent and its withdrawal in two tabs land one after the other.
    membership = lock_row(Membership.objects.select_related("group"), pk=membership.pk)
    if rules.is_system(actor) is False and getattr(actor, "pk", None) != membership.user_id:
        raise GlanceError("Only the person themselves can agree to be named on the public page.")
    if (membership.named_publicly_at is not None) == agreed:
        return membership
    membership.named_publicly_at = timezone.now() if agreed else None
    membership.save(update_fields=["named_publicly_at"])
    audit.record(
        action="glance.named_publicly.agreed" if agreed else "glance.named_publicly.withdrawn",
        actor=actor,
        group=membership.group,
        obj=membership,
    )
    return membership
