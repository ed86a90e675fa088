"""A partner's journey in a real browser: the form, the email check and the tracking page, with axe."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from gpvoice.intake.models import AccessRequest, Status
from tests.browser.conftest import (  # noqa: F401 - the page fixtures, shared with tests/browser
    AXE,
    CHROMIUM,
    LAUNCH_ARGS,
    assert_accessible,
    page,
    page_without_js,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    """As tests/browser's, but closed at the end of this module: one Playwright at a time."""
    from pathlib import Path

    if not Path(CHROMIUM).exists() or not AXE.exists():
        pytest.skip("Debian's chromium or node_modules/axe-core is missing (see tests/browser/conftest.py)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def test_a_partner_asks_confirms_and_follows_the_request(page, page_without_js, live_server, group):  # noqa: F811
    page.goto(f"{live_server.url}/spa/{group.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()  # empty: refused with a summary
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)

    form = page_without_js
    form.goto(f"{live_server.url}/spa/{group.slug}/")
    form.get_by_label("Your organisation").fill("Northvale Borough Council")
    form.get_by_label("Your name").fill("Alex Partner")
    form.get_by_label("Your email address").fill("alex@council.example.org")
    form.get_by_label("Subject").fill("Health checks for carers")
    form.get_by_label("What are you asking?").fill("Could practices host them?")
    form.get_by_role("button", name="Send request").click()
    assert "Check your email" in form.content()

    link = re.search(r"/spa/verify/[A-Za-z0-9_-]{43}/", mail.outbox[-1].body)
    assert link
    page.goto(live_server.url + link.group(0))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and send").click()
    page.wait_for_url(re.compile(r"/spa/track/"))
    assert_accessible(page)
    assert "Health checks for carers" in page.content()
    assert AccessRequest.objects.get().status == Status.RECEIVED
