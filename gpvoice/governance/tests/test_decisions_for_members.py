"""The feedback loop is visible to the members it serves: every member of the group sees the
executive's decisions and what was referred to them; only officers record, only admins note."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gpvoice.core.models import Role
from gpvoice.governance import services
from gpvoice.governance.models import ExecutiveDecision


@pytest.fixture
def decisions(group, personas):
    admin = personas[Role.ADMIN]
    small = services.category_create(
        group=group,
        actor=admin,
        name="Small grants",
        authority="executive",
        spend_limit=Decimal("5000"),
        review_date=date(2030, 1, 1),
    )
    taken = services.executive_decision_record(
        category=small,
        title="Fund the away day",
        rationale="Team building",
        amount=Decimal("1200"),
        actor=admin,
    )
    referred = services.executive_decision_refer(
        category=small, title="Buy a minibus", rationale="Transport", amount=Decimal("40000"), actor=admin
    )
    return taken, referred


def _url(group) -> str:
    return reverse("governance:decisions", args=[group.slug])


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_every_member_sees_the_decisions_with_their_status(client, group, personas, decisions, role):
    client.force_login(personas[role])
    html = client.get(_url(group)).content.decode()
    for text in (
        "Fund the away day",
        "Team building",
        "Small grants",
        "Authority: The executive",
        "£1,200.00",
        "For noting",
        "Referred to the group",
        "Buy a minibus",
        "£40,000.00",
    ):
        assert text in html, text
    assert "Record a decision" not in html and "Mark noted" not in html


@pytest.mark.django_db
def test_the_home_page_shows_what_waits_to_be_noted(client, group, personas, decisions):
    client.force_login(personas[Role.CORE])
    html = client.get(reverse("core:group_home", args=[group.slug])).content.decode()
    assert "1 executive decision for the group to note." in html
    assert "1 decision referred to the group by the executive." in html
    assert _url(group) in html


@pytest.mark.django_db
def test_noting_is_confirmed_with_a_message(client, group, personas, decisions, strong_login):
    taken, _ = decisions
    strong_login(client, personas[Role.ADMIN])
    response = client.post(_url(group), {"note": str(taken.pk)}, follow=True)
    html = response.content.decode()
    assert "“Fund the away day” was marked as noted by the group." in html
    assert "Noted " in html
    assert ExecutiveDecision.objects.get(pk=taken.pk).noted_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CORE, Role.PRACTICE_STAFF])
def test_a_member_cannot_note_or_record(client, group, personas, decisions, role, unchanged):
    taken, _ = decisions
    client.force_login(personas[role])
    with unchanged():
        assert client.post(_url(group), {"note": str(taken.pk)}).status_code == 404
        posted = {"category": str(taken.category_id), "title": "Sneaky", "rationale": "No", "amount": ""}
        assert client.post(_url(group), posted).status_code == 404


@pytest.mark.django_db
def test_an_officer_signed_in_by_code_only_is_sent_to_stronger_sign_in(
    client, group, personas, decisions, unchanged
):
    taken, _ = decisions
    client.force_login(personas[Role.ADMIN])
    assert client.get(_url(group)).status_code == 200  # reading is for every member
    with unchanged():
        response = client.post(_url(group), {"note": str(taken.pk)})
    assert response.status_code == 302 and "stronger-sign-in" in response["Location"]


@pytest.mark.django_db
def test_another_groups_member_gets_404(client, group, outsider, decisions, strong_login):
    strong_login(client, outsider)
    assert client.get(_url(group)).status_code == 404
