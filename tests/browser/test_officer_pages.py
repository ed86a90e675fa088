"""Issue 9's new admin pages in a real browser, with an accessibility scan on each."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client

from gpvoice.core.models import Role

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as_officer(page, live_server, user, strong_login) -> None:
    """A password + TOTP sign-in is what officer pages need; the test client makes that session
    and the browser carries its cookie."""
    client = Client()
    strong_login(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_admin_manages_settings_ratification_and_signatories(
    page, live_server, group, personas, strong_login
):
    from django.utils import timezone

    from gpvoice.directory.models import Appointment
    from gpvoice.directory.tests.factories import make_area
    from gpvoice.governance import services
    from gpvoice.governance.selectors import settings_for

    area = make_area(practices=2, footprint_of=group)
    admin = personas[Role.ADMIN]
    terms = services.terms_issue(
        terms=services.terms_create(group=group, title="Terms", body="# Purpose", actor=admin), actor=admin
    )
    services.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=7),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )
    _as_officer(page, live_server, admin, strong_login)
    base = f"{live_server.url}/g/{group.slug}"

    page.goto(f"{base}/governance/settings/")
    assert_accessible(page)
    page.get_by_label("Practices: more than").fill("2")
    page.get_by_label("out of").first.fill("3")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("The governance settings were saved").wait_for()
    assert settings_for(group=group).practices_share_num == 2

    page.goto(f"{base}/mandate/extend/")
    assert_accessible(page)
    page.get_by_label("Ratification closes at the end of").fill(date.today().isoformat())
    page.get_by_role("button", name="Extend ratification").click()
    page.get_by_text("can only move later").first.wait_for()
    assert_accessible(page)

    practice = area["practices"][0]
    page.goto(f"{base}/appointments/")
    assert_accessible(page)
    page.get_by_role("link", name=practice.name).click()
    assert_accessible(page)
    page.get_by_label("Name of the person").fill("Dr Browser Partner")
    page.get_by_label("Work email address").fill("browser.partner@nhs.test")
    page.get_by_label("Role").select_option("practice_partner")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Add appointment").click()
    page.get_by_text("Dr Browser Partner was added").wait_for()
    assert Appointment.objects.get(person__email="browser.partner@nhs.test").is_signatory
    page.get_by_role("button", name=re.compile(r"Stop acting\W+Dr Browser Partner")).click()
    page.get_by_text("Dr Browser Partner no longer acts").wait_for()
    assert not Appointment.objects.get(person__email="browser.partner@nhs.test").is_signatory
    assert_accessible(page)
