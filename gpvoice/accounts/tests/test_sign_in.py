"""Sign-in by emailed code through allauth, and the stronger sign-in officer pages need."""

import re

import pytest
import time_machine
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
    assert response.status_code == 302
    assert response["Location"] == f"/account/stronger-sign-in/?next=%2Fg%2F{group.slug}%2Faudit%2F"
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

    # The clock stands still between reading the code and sending it: a code read in the last
    # milliseconds of its 30-second window was refused once (its window had passed on arrival).
    with time_machine.travel(time.time(), tick=False):
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        done = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert done.status_code == 302
    assert client.get(f"/g/{group.slug}/audit/").status_code == 200


@pytest.mark.django_db
def test_sign_in_page_leads_with_an_emailed_code_and_offers_no_sign_up(client):
    html = client.get("/accounts/login/").content.decode()
    assert html.index("Email me a sign-in code") < html.index("Sign in with a password")
    assert 'action="/accounts/login/code/"' in html
    assert "/accounts/signup/" not in html and "sign up" not in html.lower().replace("no sign-up", "")


@pytest.mark.django_db
def test_sign_in_code_email_names_the_service_and_group_not_the_host(client, personas, group):
    _request_code(client, personas[Role.CORE].email)
    email = mail.outbox[-1]
    assert email.subject == f"GP Voice: your sign-in code for {group.name}"
    assert email.body.startswith(f"Hello from {group.name} on GP Voice.")
    assert "You are receiving this email because someone asked to sign in" in email.body
    assert "testserver" not in email.subject + email.body


@pytest.mark.django_db
def test_unknown_address_is_told_there_is_no_sign_up_but_how_to_join(client):
    _request_code(client, "stranger@nhs.test")
    email = mail.outbox[-1]
    assert email.subject == "GP Voice: no account for this address"
    assert "ask your group admin to invite this address" in email.body
    assert "signup" not in email.body and "testserver" not in email.body


def _step_link(page, text):
    html = page.content.decode()
    match = re.search(r'href="([^"]+)"[^>]*>\s*' + re.escape(text), html)
    assert match, f"no link to {text!r} in the page"
    return match.group(1).replace("&amp;", "&")


@pytest.mark.django_db
def test_stronger_sign_in_takes_an_officer_through_each_step_to_the_page(client, personas, group):
    """From a code sign-in to the officer page, following only the links the page gives."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.core.cache import cache

    cache.clear()
    admin = personas[Role.ADMIN]
    _request_code(client, admin.email)
    client.post("/accounts/login/code/confirm/", {"code": _code_from_outbox()})
    page = client.get(client.get(f"/g/{group.slug}/audit/")["Location"])
    assert page.status_code == 403

    link = _step_link(page, "Set a password")
    assert link.startswith("/accounts/password/set/")
    password = "a-long-officer-passphrase-2026"
    done = client.post(link, {"password1": password, "password2": password})
    assert done.status_code == 302
    page = client.get(done["Location"])
    assert "/account/stronger-sign-in/" in done["Location"] and page.status_code == 403

    link = _step_link(page, "Set up an authenticator app")
    confirm = client.get(link)  # allauth asks for the password first: that is step 3 done on the way
    assert confirm["Location"].startswith("/accounts/reauthenticate/")
    back = client.post(confirm["Location"], {"password": password})
    assert back.status_code == 302 and client.get(back["Location"]).status_code == 200
    secret = client.session["mfa.totp.secret"]
    with time_machine.travel(time.time(), tick=False):  # the code's window cannot pass mid-request
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        assert client.post(link, {"code": code}).status_code == 302
    page = client.get(f"/account/stronger-sign-in/?next=/g/{group.slug}/audit/")
    assert "Confirm your password" in page.content.decode() and page.status_code == 403

    link = _step_link(page, "Enter a code from your authenticator app")
    with time_machine.travel(time.time() + 30, tick=False):  # the next code: a code is never accepted twice
        later = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        done = client.post(link, {"code": later})
        assert done.status_code == 302, done.content.decode()
        page = client.get(done["Location"])
        assert page.status_code == 200 and "You have signed in strongly" in page.content.decode()
        assert _step_link(page, "Continue") == f"/g/{group.slug}/audit/"
        assert client.get(f"/g/{group.slug}/audit/").status_code == 200


@pytest.mark.django_db
def test_stronger_sign_in_never_sends_on_to_another_site(client, personas):
    client.force_login(personas[Role.ADMIN])
    page = client.get("/account/stronger-sign-in/?next=https://evil.example/")
    assert "evil.example" not in page.content.decode()
