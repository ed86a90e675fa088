"""An invitation from invite to first sign-in with the emailed code, in a real browser, with axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from gpvoice.accounts.models import User
from gpvoice.core.models import Membership, Role

from .conftest import assert_accessible
from .test_officer_pages import _as_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(body: str) -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.MULTILINE)
    assert match, "no sign-in code in the email"
    return match.group(1)


def test_invitation_from_invite_to_first_sign_in_with_the_emailed_code(
    browser, page, live_server, group, personas, strong_login
):
    admin = personas[Role.ADMIN]
    _as_officer(page, live_server, admin, strong_login)
    page.goto(f"{live_server.url}/g/{group.slug}/people/invite/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("New.Manager@nhs.test")
    page.get_by_label("Role in this group").select_option("practice_staff")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to").wait_for()
    assert_accessible(page)

    invitation = mail.outbox[-1]
    assert invitation.to == ["new.manager@nhs.test"] and group.name in invitation.subject
    link = re.search(r"https?://\S+/invitations/\S+/", invitation.body).group(0)  # type: ignore[union-attr]

    # The invitee opens the link in their own browser: nobody is signed in there.
    context = browser.new_context(bypass_csp=True)
    invitee = context.new_page()
    try:
        invitee.goto(link)
        invitee.get_by_role("heading", name=f"Join {group.name}").wait_for()
        assert_accessible(invitee)

        invitee.get_by_role("button", name="Accept and email me a sign-in code").click()
        invitee.get_by_role("heading", name="There is a problem").wait_for()  # the name is asked for
        assert_accessible(invitee)
        assert not User.objects.filter(email="new.manager@nhs.test").exists()

        invitee.get_by_label("Your full name").fill("Pat Newman")
        invitee.get_by_role("button", name="Accept and email me a sign-in code").click()
        invitee.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
        invitee.get_by_text("We have emailed a sign-in code to new.manager@nhs.test").wait_for()
        assert_accessible(invitee)

        code_email = mail.outbox[-1]
        assert code_email.to == ["new.manager@nhs.test"] and group.name in code_email.subject
        invitee.get_by_label("Code").fill(_code(str(code_email.body)))
        invitee.get_by_role("button", name=re.compile("confirm|sign in", re.I)).click()
        invitee.wait_for_url(f"{live_server.url}/g/{group.slug}/")
        assert invitee.get_by_role("heading", level=1).inner_text() == group.name
        assert_accessible(invitee)

        invitee.goto(f"{live_server.url}/account/")
        assert invitee.get_by_label("Your full name").input_value() == "Pat Newman"
        assert invitee.get_by_text(f"{group.name}: Practice staff").is_visible()
        assert_accessible(invitee)
    finally:
        context.close()
    user = User.objects.get(email="new.manager@nhs.test")
    assert user.full_name == "Pat Newman" and not user.has_usable_password()
    assert Membership.objects.get(group=group, user=user).role == Role.PRACTICE_STAFF
