"""A signatory's day, in a real browser with an accessibility scan on every page: the home page
lists the vote and the ratification waiting for their practice; they vote from it and come back to
it, which says the vote was recorded and shows it done; then they answer the ratification."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import make_signatory
from gpvoice.ballots import services as ballots
from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import make_area
from gpvoice.governance import services as governance
from gpvoice.governance.models import MandateAnswer

from .conftest import assert_accessible
from .test_journeys import _sign_in_with_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_ballot(group, admin):
    now = timezone.now()
    draft = ballots.Draft(
        title="Extended access offer",
        question="Should the group accept the extended access offer?",
        method="yes_no",
        electorate="practices",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=5),
    )
    ballot = ballots.ballot_create(group=group, draft=draft, actor=admin)
    return ballots.advance(ballot=ballots.ballot_schedule(ballot=ballot, actor=admin))


def _open_ratification(group, admin):
    terms = governance.terms_issue(
        terms=governance.terms_create(group=group, title="Terms", body="# Purpose", actor=admin), actor=admin
    )
    return governance.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=10),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )


def test_a_signatorys_day_home_vote_home_ratify(page, live_server, group, personas):
    area = make_area(practices=2, footprint_of=group)
    practice = area["practices"][0]
    admin = personas[Role.ADMIN]
    ballot = _open_ballot(group, admin)
    _open_ratification(group, admin)
    signatory = make_signatory(group, practice, "day.signatory@nhs.test")
    home = f"{live_server.url}/g/{group.slug}/"

    _sign_in_with_code(page, live_server.url, signatory.email, scan=False)
    page.wait_for_url(home)
    assert page.get_by_text(f"Signatory of {practice.name}").is_visible()
    todo = page.get_by_role("list", name="Your to-do list")
    vote = todo.get_by_role("link", name=f"Vote in “Extended access offer” for {practice.name}")
    ratify = todo.get_by_role("link", name=re.compile(f"Answer the ratification of .* for {practice.name}"))
    assert vote.is_visible() and ratify.is_visible()
    assert_accessible(page)

    vote.click()
    page.wait_for_url(re.compile(rf"/ballots/{ballot.pk}/vote/\?from=home$"))
    assert_accessible(page)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Cast vote").click()

    page.wait_for_url(home)
    assert page.get_by_text(re.compile(r"Vote recorded: .*, in “Extended access offer”")).is_visible()
    assert page.get_by_role("link", name=re.compile(f"Voted for {practice.name} on ")).is_visible()
    assert todo.get_by_role("link", name=re.compile("Vote in")).count() == 0
    assert_accessible(page)

    todo.get_by_role("link", name=re.compile("Answer the ratification")).click()
    page.wait_for_url(re.compile(r"/mandate/$"))
    assert_accessible(page)
    page.get_by_label(re.compile(practice.name)).select_option("agree")
    page.get_by_role("button", name=f"Record answer for {practice.name}").click()
    assert MandateAnswer.objects.get(practice=practice, is_current=True).answer == "agree"

    page.goto(home)
    assert page.get_by_text("Nothing is waiting for you").is_visible()
    assert page.get_by_role("link", name=re.compile(f"{practice.name} answered “agree” on ")).is_visible()
    assert_accessible(page)
