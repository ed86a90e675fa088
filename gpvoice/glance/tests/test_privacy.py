"""Nothing secret is reachable from the public page, its JSON or the annual report, and a practice's
record shows a secret ballot only as participation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from gpvoice.ballots import services as ballots
from gpvoice.core import glance
from gpvoice.core.models import Role

pytestmark = pytest.mark.django_db


def _ballot(group, admin, *, secret: bool, title: str):
    now = timezone.now()
    draft = ballots.Draft(
        title=title,
        question="Agree?",
        method="yes_no",
        electorate="practices",
        is_secret=secret,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
    )
    ballot = ballots.ballot_create(group=group, draft=draft, actor=admin)
    return ballots.advance(ballot=ballots.ballot_schedule(ballot=ballot, actor=admin))


@pytest.fixture
def voted(group, personas, area, signatories):
    """An open ballot and a secret one; the first practice votes yes in the open one, no in the secret."""
    admin = personas[Role.ADMIN]
    recorded = _ballot(group, admin, secret=False, title="Recorded question")
    secret = _ballot(group, admin, secret=True, title="Secret question")
    for ballot, label in [(recorded, "Yes"), (secret, "No")]:
        choice = str(ballot.options.get(label=label).pk)
        ballots.ballot_cast(
            ballot=ballot, user=signatories[0], content={"choice": choice}, practice=area["practices"][0]
        )
    return recorded, secret


def test_the_record_shows_a_secret_ballot_only_as_participation(group, area, voted):
    sections = {s.key: s for s in glance.practice_record(group, area["practices"][0])}
    rows = {row[0]: row[2] for row in sections["votes"].table.rows}
    assert rows == {"Recorded question": "Yes", "Secret question": "Voted (secret ballot)"}
    others = {s.key: s for s in glance.practice_record(group, area["practices"][1])}
    assert {row[0]: row[2] for row in others["votes"].table.rows}[
        "Secret question"
    ] == "Did not vote (secret ballot)"


def test_public_page_json_and_annual_report_name_no_practice_choice_or_contact(
    client, published, mandate, area, voted, personas
):
    _, secret = voted
    with time_machine.travel(secret.closes_at + timedelta(seconds=1)):
        ballots.advance(ballot=secret)
    client.force_login(personas[Role.CORE])
    pages = {
        "report": client.get(f"/g/{published.slug}/annual-report/").content.decode(),
    }
    client.logout()
    pages["public"] = client.get(f"/p/{published.slug}/").content.decode()
    pages["json"] = client.get(f"/api/v1/public/{published.slug}").content.decode()
    for name, text in pages.items():
        for practice in area["practices"]:
            assert practice.name not in text, (name, practice.name)  # no one practice's answer or vote
        assert "@nhs.test" not in text and "sig0" not in text, name  # no signatory's address
        assert "Voted (secret" not in text, name


def test_the_public_page_is_the_same_whoever_asks(client, published, mandate, personas, area):
    first = client.get(f"/api/v1/public/{published.slug}").json()
    client.force_login(personas[Role.ADMIN])
    assert client.get(f"/api/v1/public/{published.slug}").json() == first
