import re
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

    accepted = client.post(f"/invitations/{token}/", {"full_name": "  New   Person "})
    assert accepted.status_code == 302
    user = User.objects.get(email="new.person@nhs.test")
    assert user.full_name == "New Person"
    assert Membership.objects.get(group=group, user=user).role == Role.CORE

    again = client.post(f"/invitations/{token}/", {"full_name": "New Person"})
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


def _code_from_outbox() -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", str(mail.outbox[-1].body), re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.mark.django_db
def test_accepting_emails_the_first_code_and_signs_in_to_the_group(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    _invite(client, group)
    invitation_email = mail.outbox[-1]
    assert invitation_email.subject == f"GP Voice: you are invited to join {group.name}"
    assert "You are receiving this email because an admin of" in invitation_email.body
    token = _token_from_outbox()
    client.logout()

    accepted = client.post(f"/invitations/{token}/", {"full_name": "New Person"})
    assert accepted["Location"] == f"/accounts/login/code/confirm/?next=%2Fg%2F{group.slug}%2F"
    code_email = mail.outbox[-1]
    assert code_email.to == ["new.person@nhs.test"]
    assert code_email.subject == f"GP Voice: your sign-in code for {group.name}"
    assert group.name in code_email.body and "testserver" not in code_email.body + code_email.subject
    assert "You are receiving this email because someone asked to sign in" in code_email.body

    page = client.get(accepted["Location"])
    assert "We have emailed a sign-in code to new.person@nhs.test" in page.content.decode()
    signed_in = client.post(accepted["Location"], {"code": _code_from_outbox()})
    assert signed_in.status_code == 302 and signed_in["Location"] == f"/g/{group.slug}/"
    assert client.get(f"/g/{group.slug}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter your full name."),
        ("   ", "Enter your full name."),
        ("x" * 201, "at most 200 characters"),
        ("Nul\x00Byte", "Null characters are not allowed"),
        ("Bell\x07Ring", "cannot be stored"),
    ],
)
def test_accepting_without_a_usable_name_names_the_field_and_changes_nothing(
    client, group, personas, strong_login, name, message
):
    strong_login(client, personas[Role.ADMIN])
    _invite(client, group)
    token = _token_from_outbox()
    client.logout()
    sent = len(mail.outbox)
    response = client.post(f"/invitations/{token}/", {"full_name": name})
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html and message in html
    assert 'href="#id_full_name"' in html and "Your full name" in html
    assert not User.objects.filter(email="new.person@nhs.test").exists()
    assert Invitation.objects.get().accepted_at is None and len(mail.outbox) == sent


@pytest.mark.django_db
def test_the_invitation_page_limits_the_name_to_what_is_stored(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    _invite(client, group)
    token = _token_from_outbox()
    client.logout()
    assert 'maxlength="200"' in client.get(f"/invitations/{token}/").content.decode()


@pytest.mark.django_db
def test_accepting_while_signed_in_as_the_invitee_goes_straight_to_the_group(
    client, group, other_group, personas, strong_login, outsider
):
    strong_login(client, personas[Role.ADMIN])
    _invite(client, group, email=outsider.email)
    token = _token_from_outbox()
    client.logout()
    client.force_login(outsider)
    sent = len(mail.outbox)
    response = client.post(f"/invitations/{token}/", {"full_name": "Outside Person"})
    assert response["Location"] == f"/g/{group.slug}/" and len(mail.outbox) == sent
    assert Membership.objects.filter(group=group, user=outsider).exists()


@pytest.mark.django_db
def test_accepting_while_someone_else_is_signed_in_signs_them_out_first(
    client, group, personas, strong_login
):
    strong_login(client, personas[Role.ADMIN])
    _invite(client, group)
    token = _token_from_outbox()
    response = client.post(f"/invitations/{token}/", {"full_name": "New Person"})
    assert response["Location"].startswith("/accounts/login/code/confirm/")
    assert "_auth_user_id" not in client.session, "the admin's session does not carry over to the invitee"
    assert mail.outbox[-1].to == ["new.person@nhs.test"]
