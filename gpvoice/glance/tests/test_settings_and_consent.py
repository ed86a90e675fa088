"""Officers switch the public page on; each person, and only they, agrees to be named."""

from __future__ import annotations

import pytest

from gpvoice.core.models import AuditEntry, Membership, Role
from gpvoice.glance import services

pytestmark = pytest.mark.django_db


def test_an_officer_publishes_the_page_and_it_is_audited(client, group, personas, strong_login):
    strong_login(client, personas[Role.EXECUTIVE])
    response = client.post(f"/g/{group.slug}/public-page/", {"public_page": "yes"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.public_page is True
    assert AuditEntry.objects.filter(action="glance.public_page.enabled").count() == 1
    assert client.get(f"/p/{group.slug}/").status_code == 200
    client.post(f"/g/{group.slug}/public-page/", {"public_page": "no"})
    assert client.get(f"/p/{group.slug}/").status_code == 404


@pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_a_member_who_is_not_an_officer_cannot_publish(group, personas, role, unchanged):
    with unchanged(), pytest.raises(services.GlanceError):
        services.public_page_set(group=group, enabled=True, actor=personas[role])


def test_an_outsider_cannot_publish(group, outsider, unchanged):
    with unchanged(), pytest.raises(services.GlanceError):
        services.public_page_set(group=group, enabled=True, actor=outsider)


def test_hostile_choice_changes_nothing(client, group, personas, strong_login, unchanged):
    strong_login(client, personas[Role.ADMIN])
    with unchanged():
        response = client.post(f"/g/{group.slug}/public-page/", {"public_page": "yes\x00"})
    assert response.status_code == 200 and b"There is a problem" in response.content


def test_a_person_agrees_to_be_named_and_can_withdraw(client, group, personas):
    user = personas[Role.CORE]
    client.force_login(user)
    assert client.post(f"/g/{group.slug}/public-page/named/", {"named_publicly": "yes"}).status_code == 302
    assert Membership.objects.get(user=user, group=group).named_publicly_at is not None
    client.post(f"/g/{group.slug}/public-page/named/", {"named_publicly": "no"})
    assert Membership.objects.get(user=user, group=group).named_publicly_at is None
    assert list(
        AuditEntry.objects.filter(action__startswith="glance.named").values_list("action", flat=True)
    ) == [
        "glance.named_publicly.agreed",
        "glance.named_publicly.withdrawn",
    ]


def test_an_officer_cannot_consent_for_someone_else(group, personas, unchanged):
    membership = Membership.objects.get(user=personas[Role.CORE], group=group)
    with unchanged(), pytest.raises(services.GlanceError):
        services.named_publicly_set(membership=membership, agreed=True, actor=personas[Role.ADMIN])
