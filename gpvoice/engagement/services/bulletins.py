"""Bulletins: drafting, sending (in background batches, see ``engagement.delivery``), choices of
email, one-click unsubscribe, reads and bounces."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Person

from .. import unsubscribe as links
from ..models import (
    Audience,
    Bulletin,
    BulletinDelivery,
    BulletinPreference,
    BulletinStatus,
    Category,
    DeliveryState,
    Frequency,
)
from .checks import clean_text, require_officer


class BulletinError(Exception):
    """A bulletin write refused; the message says why."""


def _fields(title: str, body: str, category: str, audience: str) -> dict[str, str]:
    if category not in Category.values:
        raise BulletinError("Choose a category.")
    if audience not in Audience.values:
        raise BulletinError("Choose who the bulletin goes to.")
    return {
        "title": " ".join(clean_text(title, "title", 200, required=True, error=BulletinError).split()),
        "body": clean_text(body, "bulletin", 20_000, required=True, error=BulletinError),
        "category": category,
        "audience": audience,
    }


@transaction.atomic
def bulletin_create(
    *,
    group: LeadershipGroup,
    title: str,
    body: str,
    category: str,
    audience: str,
    actor: Any,
    essential: bool = False,
) -> Bulletin:
    require_officer(group, actor, BulletinError)
    bulletin = Bulletin.objects.create(
        group=group, essential=essential, created_by=actor, **_fields(title, body, category, audience)
    )
    audit.record(action="engagement.bulletin.drafted", actor=actor, group=group, obj=bulletin)
    return bulletin


@transaction.atomic
def bulletin_update(
    *,
    bulletin: Bulletin,
    title: str,
    body: str,
    category: str,
    audience: str,
    actor: Any,
    essential: bool = False,
) -> Bulletin:
    # The bulletin's row is the lock: an edit and a send never interleave.
    locked = lock_row(Bulletin.objects.all(), pk=bulletin.pk)
    require_officer(locked.group, actor, BulletinError)
    if locked.status != BulletinStatus.DRAFT:
        raise BulletinError("A bulletin cannot change once it is sent.")
    for name, value in _fields(title, body, category, audience).items():
        setattr(locked, name, value)
    locked.essential = essential
    locked.save()
    audit.record(action="engagement.bulletin.edited", actor=actor, group=locked.group, obj=locked)
    return locked


@transaction.atomic
def bulletin_send(*, bulletin: Bulletin, actor: Any) -> Bulletin:
    """Start sending: the deliveries are made and sent by background tasks, in batches."""
    from ..delivery import prepare_bulletin

    locked = lock_row(Bulletin.objects.all(), pk=bulletin.pk)
    require_officer(locked.group, actor, BulletinError)
    if locked.status != BulletinStatus.DRAFT:
        raise BulletinError("This bulletin has already been sent.")
    locked.status, locked.sent_at = BulletinStatus.SENDING, timezone.now()
    locked.save(update_fields=["status", "sent_at"])
    # Queued in this transaction (the database task backend keeps tasks in the same database, as
    # jobs.mail does): a rollback queues nothing.
    prepare_bulletin.enqueue(locked.pk)
    audit.record(action="engagement.bulletin.sent", actor=actor, group=locked.group, obj=locked)
    return locked


@transaction.atomic
def preference_set(*, person: Person, choices: dict[str, str], actor: Any) -> None:
    """A person's own choices, per category: each bulletin, a daily or weekly digest, or none."""
    if getattr(actor, "pk", None) is None or person.user_id != actor.pk:
        raise BulletinError("You can only change your own choices.")
    if set(choices) - set(Category.values) or set(choices.values()) - set(Frequency.values):
        raise BulletinError("Choose how often for each category.")
    now = timezone.now()
    for category, frequency in choices.items():
        BulletinPreference.objects.update_or_create(
            person=person, category=category, defaults={"frequency": frequency, "updated_at": now}
        )
    audit.record(action="engagement.preferences.changed", actor=actor, obj=person, data=dict(choices))


@transaction.atomic
def unsubscribe(*, token: str) -> bool:
    """Turn off one category for the person the signed link names; False for a link we did not
    sign. Signs no one in, and says nothing about who the link was for."""
    found = links.read(token)
    if found is None or found.category not in Category.values:
        return False
    person = Person.objects.filter(pk=found.person_id).first()
    if person is None:
        return False
    BulletinPreference.objects.update_or_create(
        person=person,
        category=found.category,
        defaults={"frequency": Frequency.NONE, "updated_at": timezone.now()},
    )
    group = LeadershipGroup.objects.filter(pk=found.group_id).first()
    audit.record(action="engagement.unsubscribed", group=group, obj=person, data={"category": found.category})
    return True


@transaction.atomic
def bounce_record(*, bulletin: Bulletin, address: str, reason: str, actor: Any) -> BulletinDelivery:
    locked = lock_row(Bulletin.objects.all(), pk=bulletin.pk)
    require_officer(locked.group, actor, BulletinError)
    delivery = BulletinDelivery.objects.filter(bulletin=locked, address__iexact=address.strip()).first()
    if delivery is None:
        raise BulletinError("No copy of this bulletin went to that address.")
    delivery.state, delivery.bounced_at = DeliveryState.BOUNCED, timezone.now()
    delivery.error = clean_text(reason, "reason", 300, error=BulletinError)
    delivery.save(update_fields=["state", "bounced_at", "error"])
    audit.record(action="engagement.bulletin.bounced", actor=actor, group=locked.group, obj=delivery)
    return delivery
