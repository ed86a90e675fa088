"""Workers racing to announce the same events: threads released together, on SQLite and PostgreSQL.
Each event is claimed once, so each person gets each email once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_signatory
from gpvoice.ballots import services as ballots
from gpvoice.core.models import Role
from gpvoice.core.tests.threads import run_together
from gpvoice.directory.tests.factories import make_area
from gpvoice.governance import services as governance
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.notifications.models import Notice
from gpvoice.notifications.services import notices_send


@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_announce_each_event_once(group, personas):
    admin = personas[Role.ADMIN]
    area = make_area(practices=3, footprint_of=group)
    practices: list[Any] = area["practices"]  # type: ignore[assignment]
    for i, practice in enumerate(practices):
        make_signatory(group, practice, f"racer{i}@nhs.test")
    now = timezone.now()
    draft = ballots.Draft(
        title="Race",
        question="Agree?",
        method="yes_no",
        electorate="practices",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=3),
    )
    ballots.advance(
        ballot=ballots.ballot_schedule(
            ballot=ballots.ballot_create(group=group, draft=draft, actor=admin), actor=admin
        )
    )
    terms = governance.terms_issue(
        terms=governance.terms_create(group=group, title="Terms", body="# Purpose", actor=admin), actor=admin
    )
    governance.mandate_open(
        terms=terms,
        closes_at=now + timedelta(days=9),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )

    assert run_together([notices_send] * 4) == []

    assert sorted(Notice.objects.values_list("kind", flat=True)) == ["ballot-opened", "ratification-opened"]
    keys = list(OutgoingEmail.objects.filter(key__startswith="notice:").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 6  # 3 signatories × (ballot + ratification), once each
