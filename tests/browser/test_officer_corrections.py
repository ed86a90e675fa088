"""Issue 12: an admin correcting a ballot and the scheme of delegation, in a real browser, with an
accessibility scan on every page (and the error pages the refusals lead to)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_signatory
from gpvoice.core.models import Role

from .conftest import assert_accessible
from .test_officer_pages import _as_officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_ballot(group, admin, title: str):
    from gpvoice.ballots import services

    now = timezone.now()
    draft = services.Draft(
        title=title,
        question="Should the group accept the offer?",
        method="yes_no",
        electorate="practices",
        opens_at=now + timedelta(minutes=5),
        closes_at=now + timedelta(days=7),
    )
    ballot = services.ballot_create(group=group, draft=draft, actor=admin)
    return services.ballot_schedule(ballot=ballot, actor=admin)


def test_admin_extends_then_cancels_a_ballot_and_a_voter_sees_why(
    page, live_server, group, personas, strong_login
):
    from gpvoice.ballots.models import Ballot, Status
    from gpvoice.directory.tests.factories import make_area
    from gpvoice.jobs.models import OutgoingEmail

    area: dict[str, Any] = make_area(practices=2, footprint_of=group)
    signatory = make_signatory(group, area["practices"][0], "voter@nhs.test")
    admin = personas[Role.ADMIN]
    ballot = _open_ballot(group, admin, "Extended access offer")
    _as_officer(page, live_server, admin, strong_login)
    detail = f"{live_server.url}/g/{group.slug}/ballots/{ballot.pk}/"

    page.goto(detail)
    assert_accessible(page)
    page.get_by_role("link", name="Extend the closing time").click()
    assert_accessible(page)
    # Earlier than now: refused, named on the page, nothing changed.
    page.get_by_label("New closing date").fill(date.today().strftime("%d/%m/%Y"))
    page.get_by_label("New closing time").fill("00:00")
    page.get_by_role("button", name="Extend the closing time").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    later = timezone.localtime(ballot.closes_at + timedelta(days=3))
    page.get_by_label("New closing date").fill(later.strftime("%d/%m/%Y"))
    page.get_by_label("New closing time").fill("17:00")
    page.get_by_role("button", name="Extend the closing time").click()
    page.get_by_text("The closing time is extended").wait_for()
    ballot.refresh_from_db()
    assert timezone.localtime(ballot.closes_at).date() == later.date()
    assert not OutgoingEmail.objects.filter(key__startswith="ballot-extended:").exists()  # not open yet

    page.get_by_role("link", name="Cancel this ballot").click()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel the ballot").click()  # no reason given
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Why is the ballot cancelled?").fill("The ICB withdrew the offer.")
    page.get_by_role("button", name="Cancel the ballot").click()
    page.get_by_text("The ballot is cancelled. Nothing cast").wait_for()
    assert_accessible(page)
    assert Ballot.objects.get(pk=ballot.pk).status == Status.CANCELLED

    page.context.clear_cookies()
    _as_officer(page, live_server, signatory, strong_login)  # the cookie carries any member's session
    page.goto(detail)
    assert page.get_by_text("The ICB withdrew the offer.").is_visible()
    assert page.get_by_role("link", name="Vote", exact=True).count() == 0  # not "Voted" (a filter)
    assert_accessible(page)


def test_admin_opens_a_late_draft_now_never_scheduled(page, live_server, group, personas, strong_login):
    from gpvoice.ballots import services
    from gpvoice.ballots.models import Ballot, Status
    from gpvoice.directory.tests.factories import make_area

    make_area(practices=2, footprint_of=group)
    admin = personas[Role.ADMIN]
    now = timezone.now()
    draft = services.Draft(
        title="Late draft",
        question="Agree?",
        method="yes_no",
        electorate="practices",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6),
    )
    ballot = services.ballot_create(group=group, draft=draft, actor=admin)
    _as_officer(page, live_server, admin, strong_login)
    page.goto(f"{live_server.url}/g/{group.slug}/ballots/{ballot.pk}/")
    assert page.get_by_text("has passed").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Open this ballot now").click()
    page.get_by_text("the ballot is open now").wait_for()
    assert page.get_by_text("Scheduled", exact=True).count() == 0
    assert_accessible(page)
    assert Ballot.objects.get(pk=ballot.pk).status == Status.OPEN


def test_admin_changes_the_scheme_and_records_a_review(page, live_server, group, personas, strong_login):
    from gpvoice.governance import services
    from gpvoice.governance.models import Authority, CategoryChange

    admin = personas[Role.ADMIN]
    category = services.category_create(
        group=group,
        actor=admin,
        name="Communications to practices",
        authority=Authority.EXECUTIVE,
        review_date=date.today() - timedelta(days=3),
    )
    _as_officer(page, live_server, admin, strong_login)
    base = f"{live_server.url}/g/{group.slug}"

    page.goto(f"{base}/")
    assert page.get_by_text("Delegation reviews overdue").is_visible()
    page.goto(f"{base}/delegation/")
    assert page.get_by_text("Review overdue").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Communications to practices")).click()
    assert_accessible(page)

    page.get_by_label("Next review by").fill(date.today().strftime("%d/%m/%Y"))  # today: not after today
    page.get_by_role("button", name="Record the review").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Next review by").fill((date.today() + timedelta(days=365)).strftime("%d/%m/%Y"))
    page.get_by_label("What the review found").fill("Still right for weekly bulletins.")
    page.get_by_role("button", name="Record the review").click()
    page.get_by_text("The review of Communications to practices is recorded").wait_for()
    assert page.get_by_text("Review overdue").count() == 0
    assert_accessible(page)

    page.get_by_label("Who decides").select_option("group")
    page.get_by_label("Why it changed").fill("Bulletins now go to the core group first.")
    page.get_by_role("button", name="Save the change").click()
    page.get_by_text("Communications to practices was changed").wait_for()
    assert page.get_by_role("cell", name="Bulletins now go to the core group first.").is_visible()
    assert_accessible(page)
    assert list(
        CategoryChange.objects.filter(category=category).values_list("kind", flat=True).order_by("pk")
    ) == [
        "created",
        "reviewed",
        "changed",
    ]
    page.goto(f"{base}/")
    assert page.get_by_text("Delegation reviews overdue").count() == 0
