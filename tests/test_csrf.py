"""Every state-changing view refuses a forged POST, and GETs never write."""

import pytest
from django.test import Client

from gpvoice.accounts.models import Invitation
from gpvoice.core.models import AuditEntry, Membership, Role


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_forged_invite_post_is_refused(csrf_client, group, personas, strong_login):
    strong_login(csrf_client, personas[Role.ADMIN])
    before = (Invitation.objects.count(), AuditEntry.objects.count())
    response = csrf_client.post(f"/g/{group.slug}/people/invite/", {"email": "x@nhs.test", "role": "core"})
    assert response.status_code == 403
    assert (Invitation.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_forged_invitation_accept_is_refused(csrf_client, group, personas):
    from gpvoice.accounts.services import invitation_create

    _, token = invitation_create(
        group=group, email="y@nhs.test", role=Role.CORE, invited_by=personas[Role.ADMIN], base_url="http://t"
    )
    response = csrf_client.post(f"/invitations/{token}/")
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="y@nhs.test").exists()


@pytest.mark.django_db
def test_forged_sign_out_is_refused(csrf_client, personas, group):
    csrf_client.force_login(personas[Role.CORE])
    assert csrf_client.post("/accounts/logout/").status_code == 403
    assert csrf_client.get(f"/g/{group.slug}/").status_code == 200


@pytest.mark.django_db
def test_get_requests_write_nothing(client, group, personas, strong_login):
    from tests.test_authorisation import OWN_ROUTES, _samples, _to_url

    strong_login(client, personas[Role.ADMIN])
    samples = _samples(group, personas)
    before = _every_table()
    for route, _ in OWN_ROUTES:
        client.get(_to_url(route).format(**samples))
    assert _every_table() == before


def _every_table() -> dict[str, int]:
    """Row counts of every table (sessions aside: signing in writes those), so a GET that creates a
    row without auditing it (the governance settings' get_or_create once did) is caught too."""
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.label not in {"sessions.Session"} and not m._meta.proxy
    }


@pytest.mark.django_db
def test_forged_post_gets_a_clear_page(csrf_client, group, personas, strong_login):
    strong_login(csrf_client, personas[Role.ADMIN])
    response = csrf_client.post(f"/g/{group.slug}/people/invite/", {"email": "x@nhs.test", "role": "core"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "The form could not be sent" in html and "Nothing has been changed" in html


@pytest.mark.django_db
def test_forged_member_removal_is_refused(csrf_client, group, personas, strong_login):
    strong_login(csrf_client, personas[Role.ADMIN])
    target = personas[Role.CORE].memberships.get(group=group)
    assert csrf_client.post(f"/g/{group.slug}/people/{target.pk}/", {"remove": "1"}).status_code == 403
    assert Membership.objects.filter(pk=target.pk).exists()
