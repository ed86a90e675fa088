from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from gpvoice.accounts.models import Invitation, User
from gpvoice.core.models import Membership, Role


def _invite(client, group, email="new.person@nhs.test", role="core"):
    return client.post(f"/g/{group.slug}/people/invite/", {"email": email, "role": role})


def _token_from_outbox() -> str:
    body = mail.outbox[-1].body
    return body.split("/invitations/")[1].split("/")[0]


@pytest.mark.django_db
def test_admin_invites_and_invitee_joins_once(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    response = _invite(client, group)
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new.person@nhs.test"]
    token = _token_from_outbox()

    client.logout()
    page = client.get(f"/invitations/{token}/")
    assert page.status_code == 200 and group.name in page.content.decode()
    assert not User.objects.filter(email="new.person@nhs.test").exists(), "a GET must not accept"

    accepted = client.post(f"/invitations/{token}/")
    assert accepted.status_code == 302
    user = User.objects.get(email="new.person@nhs.test")
    assert Membership.objects.get(group=group, user=user).role == Role.CORE

    again = client.post(f"/invitations/{token}/")
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_expired_invitation_is_refused_and_changes_nothing(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    _invite(client, group)
    token = _token_from_outbox()
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.post(f"/invitations/{token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not User.objects.filter(email="new.person@nhs.test").exists()


@pytest.mark.django_db
def test_garbage_token_gets_a_clear_page(client):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 410 and "not valid" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "role": "core"}, "This field is required"),
        ({"email": "not an email", "role": "core"}, "valid email"),
        ({"email": "x" * 300 + "@nhs.test", "role": "core"}, "at most 254"),
        ({"email": "a@nhs.test", "role": "superuser"}, "Select a valid choice"),
        ({"email": "<script>alert(1)</script>@nhs.test", "role": "core"}, "valid email"),
    ],
)
def test_bad_invitation_form_shows_error_summary_and_changes_nothing(
    client, group, personas, strong_login, data, message
):
    strong_login(client, personas[Role.ADMIN])
    response = _invite(client, group, **data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html and message in html
    assert "<script>alert(1)</script>" not in html
    assert Invitation.objects.count() == 0 and mail.outbox == []


@pytest.mark.django_db
def test_inviting_an_existing_member_is_refused(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    response = _invite(client, group, email=personas[Role.CORE].email)
    assert "already a member" in response.content.decode()
    assert Invitation.objects.count() == 0
