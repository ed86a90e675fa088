from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from conftest import make_signatory  # noqa: F401 - re-exported for this app's tests
from gpvoice.ballots import services
from gpvoice.ballots.models import Ballot
from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import make_area


@pytest.fixture
def area(group):
    area = make_area(practices=4, footprint_of=group)  # list sizes 1000, 2000, 3000, 4000
    return area


@pytest.fixture
def signatories(group, area):
    return [make_signatory(group, p, f"sig{i}@nhs.test") for i, p in enumerate(area["practices"])]


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def make_ballot(group, admin, area):
    """A ballot, scheduled and (by default) already open: the clock has run."""

    def make(*, open_now: bool = True, **overrides: Any) -> Ballot:
        now = timezone.now()
        fields: dict[str, Any] = {
            "title": "Extended access",
            "question": "Should the group accept the extended access offer?",
            "method": "yes_no",
            "electorate": "practices",
            "opens_at": now - timedelta(minutes=1) if open_now else now + timedelta(days=1),
            "closes_at": now + timedelta(days=7),
        }
        fields.update(overrides)
        ballot = services.ballot_create(group=group, draft=services.Draft(**fields), actor=admin)
        ballot = services.ballot_schedule(ballot=ballot, actor=admin)
        return services.advance(ballot=ballot)

    return make


def option_ids(ballot: Ballot) -> list[str]:
    return [str(pk) for pk in ballot.options.values_list("pk", flat=True)]


def close_by_the_clock(ballot: Ballot) -> Ballot:
    """Let the clock run one second past the closing time: the ballot closes and is counted."""
    with time_machine.travel(ballot.closes_at + timedelta(seconds=1)):
        return services.advance(ballot=ballot)


def state() -> tuple[Any, ...]:
    """Everything a refused ballot write must leave as it was (the audit log included)."""
    from gpvoice.ballots.models import Option, Participation, Reminder, SealedChoice, Vote
    from gpvoice.core.models import AuditEntry

    return (
        list(Ballot.objects.order_by("pk").values()),
        list(Option.objects.order_by("pk").values_list("pk", "ballot_id", "position", "label", "hands")),
        list(Reminder.objects.order_by("pk").values_list("pk", "ballot_id", "send_at", "sent_at")),
        list(Vote.objects.order_by("pk").values_list("pk", "elector_id", "content", "is_current")),
        list(SealedChoice.objects.order_by("pk").values_list("pk", "seal", "content")),
        list(Participation.objects.order_by("pk").values_list("pk", "elector_id", "casts")),
        list(AuditEntry.objects.order_by("pk").values_list("pk", "action")),
    )


@pytest.fixture
def unchanged():
    """``with unchanged(): ...`` asserts the block leaves ballots and the audit log as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard
