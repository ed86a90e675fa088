"""Officers switching the page at once, and a person's consent from two tabs: each change is recorded
once, and the audit log says what the page really became (threads released together; run on
PostgreSQL too with DATABASE_URL)."""

import pytest

from gpvoice.core.models import AuditEntry, Membership, Role
from gpvoice.core.tests.threads import run_together
from gpvoice.glance import services


@pytest.mark.django_db(transaction=True)
def test_officers_publishing_at_once_publish_once(group, personas):
    officers = [personas[Role.ADMIN], personas[Role.EXECUTIVE]] * 3
    jobs = [lambda o=o: services.public_page_set(group=group, enabled=True, actor=o) for o in officers]
    assert run_together(jobs, refusals=(services.GlanceError,)) == []
    group.refresh_from_db()
    assert group.public_page is True
    assert AuditEntry.objects.filter(action="glance.public_page.enabled").count() == 1


@pytest.mark.django_db(transaction=True)
def test_consent_and_withdrawal_at_once_leave_an_audit_trail_that_matches(group, personas):
    user = personas[Role.CORE]
    membership = Membership.objects.get(user=user, group=group)
    for _ in range(4):
        jobs = [
            lambda: services.named_publicly_set(membership=membership, agreed=True, actor=user),
            lambda: services.named_publicly_set(membership=membership, agreed=False, actor=user),
        ]
        assert run_together(jobs, refusals=(services.GlanceError,)) == []
    actions = list(
        AuditEntry.objects.filter(action__startswith="glance.named")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    # Agreed and withdrawn alternate, starting with agreed: no change was recorded twice or lost.
    assert all(a.endswith("agreed" if i % 2 == 0 else "withdrawn") for i, a in enumerate(actions))
    final = Membership.objects.get(pk=membership.pk).named_publicly_at is not None
    assert final == (bool(actions) and actions[-1].endswith("agreed"))
