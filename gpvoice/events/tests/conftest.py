from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_signatory
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.tests.factories import make_area
from gpvoice.events import services
from gpvoice.events.models import Audience, Booking, Kind, Session, WaitMode
from gpvoice.jobs.models import OutgoingEmail


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def area(group) -> dict[str, Any]:
    return make_area(practices=2, footprint_of=group)


@pytest.fixture
def staff(group, area) -> Callable[[int], list[Any]]:
    """``staff(n)``: n practice-staff users working at the footprint's practices (alternately)."""
    made: list[Any] = []

    def make(n: int) -> list[Any]:
        start = len(made)
        for i in range(start, start + n):
            practice = area["practices"][i % 2]
            made.append(make_signatory(group, practice, f"staff{i}@practice.test"))
        return made[start:]

    return make


def details(**overrides: Any) -> services.Details:
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    values: dict[str, Any] = {
        "kind": Kind.THINK_TANK,
        "title": "Think tank: winter access",
        "description": "Bring **your** plan.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": "Northvale Hall",
        "link": "",
        "capacity": 3,
        "audience": Audience.FOOTPRINT,
        "opens_at": timezone.now() - timedelta(hours=1),
        "closes_at": start - timedelta(days=1),
        "cancel_by": start - timedelta(days=2),
        "wait_mode": WaitMode.PROMOTE,
        "offer_hours": 24,
    }
    values.update(overrides)
    return services.Details(**values)


@pytest.fixture
def make_session(group, admin) -> Callable[..., Session]:
    def make(**overrides: Any) -> Session:
        return services.session_create(group=group, details=details(**overrides), actor=admin)

    return make


def state() -> list[Any]:
    return [
        list(Session.objects.order_by("pk").values_list()),
        list(Booking.objects.order_by("pk").values_list()),
        AuditEntry.objects.count(),
        OutgoingEmail.objects.count(),
    ]


@pytest.fixture
def unchanged():
    """``with unchanged():`` asserts the block leaves sessions, bookings, audit and outbox as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard


def later(session: Session, **delta: float) -> datetime:
    return session.starts_at + timedelta(**delta)
