"""Demo of the glance pages: the first demo group publishes its public page, and some of the people
on its roll (core members and the attending system lead) have agreed to be named on it."""

from __future__ import annotations

from django.db import transaction

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.glance import services
from gpvoice.governance.models import RollStatus
from gpvoice.governance.selectors import current_roll

NAMED = 4  # of the roll, so the page also shows that those who did not agree are left out


def _membership(group: LeadershipGroup, person: object, role: Role) -> Membership | None:
    """The person's account and membership, made for the demo when they have none yet."""
    from gpvoice.core.services import membership_set

    email = getattr(person, "email", "")
    if not email:
        return None
    user = getattr(person, "user", None) or User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, full_name=person.full_name)  # type: ignore[attr-defined]
    if person.user_id != user.pk:  # type: ignore[attr-defined]
        person.user = user  # type: ignore[attr-defined]
        person.save(update_fields=["user"])  # type: ignore[attr-defined]
    found = Membership.objects.filter(group=group, user=user).first()
    return found or membership_set(group=group, user=user, role=role)


@transaction.atomic
def load_glance(group: LeadershipGroup) -> None:
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    services.public_page_set(group=group, enabled=True, actor=admin)
    entries = current_roll(group=group).filter(status__in=[RollStatus.CORE, RollStatus.ATTENDEE])
    for entry in entries.select_related("person").order_by("status", "person__full_name")[:NAMED]:
        role = Role.CORE if entry.status == RollStatus.CORE else Role.ATTENDEE
        membership = _membership(group, entry.person, role)
        if membership is not None:
            services.named_publicly_set(membership=membership, agreed=True, actor=membership.user)
