"""Sign-in by emailed code through allauth, and the stronger sign-in officer pages need."""

import re

import pytest
from django.core import mail

from gpvoice.core.models import Role


def _request_code(client, email):
    return client.post("/accounts/login/code/", {"email": email})


def _code_from_outbox() -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", str(mail.outbox[-1].body), re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.mark.django_db
def test_login_code_signs_in(client, personas, group):
    _request_code(client, personas[Role.CORE].email)
    code = _code_from_outbox()
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.get(f"/g/{group.slug}/").status_code == 200


@pytest.mark.django_db
def test_wrong_then_reused_code_is_refused(client, personas, group):
    _request_code(client, personas[Role.CORE].email)
    code = _code_from_outbox()
    wrong = client.post("/accounts/login/code/confirm/", {"code": "ZZZZZZ"})
    assert wrong.status_code == 200 and "nhsuk-error-summary" in wrong.content.decode()
    assert client.post("/accounts/login/code/confirm/", {"code": code}).status_code == 302
    client.logout()
    reused = client.post("/accounts/login/code/confirm/", {"code": code})
    assert reused.status_code in (200, 302)
    assert client.get(f"/g/{group.slug}/").status_code == 302  # still signed out


@pytest.mark.django_db
def test_no_open_registration(client):
    response = client.post("/accounts/signup/", {"email": "stranger@example.test"})
    from gpvoice.accounts.models import User

    assert not User.objects.filter(email="stranger@example.test").exists()
    assert "closed" in response.content.decode().lower()


@pytest.mark.django_db
def test_officer_page_after_code_sign_in_asks_for_stronger_sign_in(client, personas, group):
    client.force_login(personas[Role.ADMIN])
    response = client.get(f"/g/{group.slug}/audit/")
    assert response.status_code == 302 and response["Location"] == "/account/stronger-sign-in/"
    explained = client.get(response["Location"])
    assert explained.status_code == 403 and "authenticator app" in explained.content.decode()


@pytest.mark.django_db
def test_admin_back_office_needs_strong_sign_in(client, personas, strong_login):
    admin = personas[Role.ADMIN]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    strong_login(client, admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_failed_password_sign_ins_are_rate_limited(client, personas):
    from django.core.cache import cache

    cache.clear()
    officer = personas[Role.EXECUTIVE]
    officer.set_password("the-right-password-2026")
    officer.save()
    pages = [
        client.post("/accounts/login/", {"login": officer.email, "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed" not in pages[0] and "Too many failed" in pages[-1]
    blocked = client.post("/accounts/login/", {"login": officer.email, "password": "the-right-password-2026"})
    assert "Too many failed" in blocked.content.decode(), "even the right password waits for the limit"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_then_totp_opens_officer_pages(client, personas, group):
    """The real allauth flow: password, then a TOTP code from the authenticator."""
    import time

    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from django.core.cache import cache

    cache.clear()
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    admin = personas[Role.ADMIN]
    admin.set_password("an-officer-password-2026")
    admin.save()
    TOTP.activate(admin, secret)

    step = client.post("/accounts/login/", {"login": admin.email, "password": "an-officer-password-2026"})
    assert step.status_code == 302 and step["Location"] == "/accounts/2fa/authenticate/"
    assert client.get(f"/g/{group.slug}/audit/").status_code == 302  # not signed in yet

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    done = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert done.status_code == 302
    assert client.get(f"/g/{group.slug}/audit/").status_code == 200
