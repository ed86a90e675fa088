"""Journeys a person makes, in a real browser, with an accessibility scan on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from conftest import make_member, make_signatory
from gpvoice.core.models import Role
from gpvoice.core.services import membership_set

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _latest_code() -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", str(mail.outbox[-1].body), re.MULTILINE)
    assert match, "no login code in the email"
    return match.group(1)


def _sign_in_with_code(page, base: str, email: str, *, scan: bool = True) -> None:
    """Sign in by emailed code; ``scan`` runs axe on each page (it needs JavaScript)."""
    page.goto(f"{base}/accounts/login/code/")
    if scan:
        assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name=re.compile("code", re.I)).click()
    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
    if scan:
        assert_accessible(page)
    page.get_by_label("Code").fill(_latest_code())
    page.get_by_role("button", name=re.compile("sign in|confirm", re.I)).click()


def test_sign_in_by_code_switch_group_and_open_a_group_page(page, live_server, group, other_group):
    user = make_member(group, Role.CORE, "both.groups@nhs.test")
    membership_set(group=other_group, user=user, role=Role.OBSERVER)

    _sign_in_with_code(page, live_server.url, user.email)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Your groups").is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Your groups").get_by_role("link", name=other_group.name).click()
    page.wait_for_url(f"{live_server.url}/g/{other_group.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == other_group.name
    assert_accessible(page)

    page.get_by_role("link", name="People in this group").click()
    page.wait_for_url(re.compile(r"/people/$"))
    assert page.get_by_role("cell", name=user.email).first.is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/g/{other_group.slug}/")
    assert "/accounts/login/" in page.url


def test_sign_in_works_without_javascript(page_without_js, live_server, group):
    user = make_member(group, Role.PRACTICE_STAFF, "no.js@nhs.test")
    _sign_in_with_code(page_without_js, live_server.url, user.email, scan=False)
    page_without_js.wait_for_url(f"{live_server.url}/g/{group.slug}/")
    assert page_without_js.get_by_role("heading", level=1).inner_text() == group.name


def test_a_bad_code_shows_an_accessible_error_summary(page, live_server, group):
    user = make_member(group, Role.CORE, "typo@nhs.test")
    page.goto(f"{live_server.url}/accounts/login/code/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name=re.compile("code", re.I)).click()
    page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
    page.get_by_label("Code").fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name=re.compile("sign in|confirm", re.I)).click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)


def test_pages_make_no_third_party_requests_and_break_no_csp(strict_page, live_server, group):
    page = strict_page
    user = make_member(group, Role.CORE, "csp@nhs.test")
    hosts: set[str] = set()
    console_errors: list[str] = []
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    _sign_in_with_code(page, live_server.url, user.email, scan=False)
    page.wait_for_url(f"{live_server.url}/g/{group.slug}/")
    assert page.evaluate("document.body.classList.contains('js-enabled')"), "nonce'd inline script ran"
    assert console_errors == []
    own = live_server.url.split("/")[2]
    assert hosts == {own}, f"requests to other hosts: {hosts - {own}}"


def test_find_a_practice_and_open_its_pcn(page, live_server, group):
    from gpvoice.directory.tests.factories import make_area

    area = make_area(practices=3, footprint_of=group)  # the practice list shows the footprint
    user = make_member(group, Role.CORE, "finder@nhs.test")
    _sign_in_with_code(page, live_server.url, user.email, scan=False)
    page.wait_for_url(f"{live_server.url}/g/{group.slug}/")
    page.get_by_role("link", name="Practices").click()
    assert_accessible(page)
    page.get_by_label("Search by name, ODS code or postcode").fill(area["practices"][1].ods_code)
    page.get_by_role("button", name="Show practices").click()
    assert "1 practice<" in page.content()
    page.get_by_role("link", name=area["practices"][1].name).click()
    assert page.get_by_role("heading", level=1).inner_text() == area["practices"][1].name
    assert_accessible(page)
    page.get_by_role("link", name="Test PCN").first.click()
    assert "3 practices" in page.content()
    assert_accessible(page)


def test_signatory_ratifies_the_mandate_in_the_browser(page, live_server, group, personas):
    from datetime import date, timedelta

    from django.utils import timezone

    from gpvoice.directory.tests.factories import make_area
    from gpvoice.governance import services
    from gpvoice.governance.models import MandateAnswer

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
    signatory = make_signatory(group, area["practices"][1], "browser.sig@nhs.test")

    _sign_in_with_code(page, live_server.url, signatory.email, scan=False)
    page.goto(f"{live_server.url}/g/{group.slug}/mandate/")
    assert_accessible(page)
    page.get_by_label(re.compile(area["practices"][1].name)).select_option("agree")
    page.get_by_role("button", name=f"Record answer for {area['practices'][1].name}").click()
    # 1 of 2 practices is not *more* than half, though its 2,000 of 3,000 patients are.
    assert page.get_by_role("heading", name="Not acting with mandate", exact=True).is_visible()
    assert "50.0% of practices covering 66.7% of registered patients" in page.content()
    assert MandateAnswer.objects.get(is_current=True).answer == "agree"
    assert_accessible(page)
    page.goto(f"{live_server.url}/g/{group.slug}/roll/")
    assert_accessible(page)


def _ballot(group, admin, **fields):
    from datetime import timedelta

    from django.utils import timezone

    from gpvoice.ballots import services

    now = timezone.now()
    draft = services.Draft(
        title=fields.pop("title", "Chair of the group"),
        question="Rank the candidates in order of preference.",
        method=fields.pop("method", "irv"),
        electorate="practices",
        options=["Dr Okafor", "Dr Walsh", "Dr Li"],
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
        **fields,
    )
    ballot = services.ballot_create(group=group, draft=draft, actor=admin)
    return services.advance(ballot=services.ballot_schedule(ballot=ballot, actor=admin))


def test_signatory_ranks_a_secret_ballot_and_checks_the_receipt(page, live_server, group, personas):
    from gpvoice.ballots import services
    from gpvoice.ballots.models import SealedChoice
    from gpvoice.directory.tests.factories import make_area

    area = make_area(practices=2, footprint_of=group)
    ballot = _ballot(group, personas[Role.ADMIN], is_secret=True)
    signatory = make_signatory(group, area["practices"][0], "browser.voter@nhs.test")

    _sign_in_with_code(page, live_server.url, signatory.email, scan=False)
    page.goto(f"{live_server.url}/g/{group.slug}/ballots/{ballot.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Vote", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Dr Walsh").select_option("1")
    page.get_by_label("Dr Okafor").select_option("1")
    page.get_by_role("button", name="Cast vote").click()
    assert "Give each option a different rank" in page.content()  # two firsts: refused
    assert_accessible(page)
    page.get_by_label("Dr Okafor").select_option("2")
    page.get_by_role("button", name="Cast vote").click()
    receipt = page.locator(".gpvoice-receipt").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", receipt)
    assert_accessible(page)
    assert SealedChoice.objects.filter(ballot=ballot).count() == 1

    services.advance(ballot=ballot, now=ballot.closes_at)
    page.goto(f"{live_server.url}/g/{group.slug}/ballots/{ballot.pk}/result/")
    assert "Dr Walsh wins." in page.content()
    assert_accessible(page)
    page.get_by_label("Your receipt code").fill(receipt.lower())
    page.get_by_role("button", name="Check receipt").click()
    assert "A ballot with this receipt was counted." in page.content()
    assert_accessible(page)


def test_published_schulze_result_and_ballot_list_are_accessible(page, live_server, group, personas):
    from gpvoice.ballots import services
    from gpvoice.directory.tests.factories import make_area

    area = make_area(practices=3, footprint_of=group)
    ballot = _ballot(group, personas[Role.ADMIN], method="schulze", title="Representative")
    ids = [str(pk) for pk in ballot.options.values_list("pk", flat=True)]
    for i, practice in enumerate(area["practices"]):
        user = make_signatory(group, practice, f"schulze{i}@nhs.test")
        services.ballot_cast(ballot=ballot, user=user, content={"ranking": ids[i:] + ids[:i]})
    services.advance(ballot=ballot, now=ballot.closes_at)
    member = personas[Role.CORE]
    _sign_in_with_code(page, live_server.url, member.email, scan=False)
    page.goto(f"{live_server.url}/g/{group.slug}/ballots/")
    assert_accessible(page)
    page.get_by_role("link", name="Representative").click()
    page.get_by_role("button", name="See the result").click()
    assert page.get_by_role("table", name=re.compile("By practices")).is_visible()
    assert "How each elector voted" in page.content()
    assert_accessible(page)


def test_member_nominates_a_priority_without_javascript_and_with_axe(
    page, page_without_js, live_server, group, personas
):
    from gpvoice.priorities import services
    from gpvoice.priorities.models import Nomination

    round = services.round_create(
        group=group, title="Priorities 2027", actor=personas[Role.ADMIN], method="points"
    )
    member = personas[Role.CORE]
    _sign_in_with_code(page, live_server.url, member.email, scan=False)
    page.goto(f"{live_server.url}/g/{group.slug}/priorities/")
    assert_accessible(page)
    page.get_by_role("link", name="Priorities 2027").click()
    page.get_by_role("button", name="Send nomination").click()  # empty: refused with a summary
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)

    _sign_in_with_code(page_without_js, live_server.url, member.email, scan=False)
    page_without_js.goto(f"{live_server.url}/g/{group.slug}/priorities/{round.pk}/")
    page_without_js.get_by_label("The priority you propose").fill("Keeping practice nurses")
    page_without_js.get_by_label("Why it should be a priority").fill("Nurses are leaving for the hospitals.")
    page_without_js.get_by_role("button", name="Send nomination").click()
    assert "Keeping practice nurses" in page_without_js.content()
    assert Nomination.objects.get(round=round).title == "Keeping practice nurses"
