from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import Organisation, OrgType, Person
from gpvoice.governance.models import RollEntry, RollStatus
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.representation import services
from gpvoice.representation.models import (
    Briefing,
    BriefingItem,
    Forum,
    ForumMeeting,
    Position,
    ReportBack,
    Seat,
    SeatAppointment,
)


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def icb(db) -> Organisation:
    return Organisation.objects.create(org_type=OrgType.ICB, ods_code="QZZ", name="Test ICB")


@pytest.fixture
def people(group, personas) -> dict[Role, Person]:
    """A directory person for each member, on the roll."""
    found = {}
    for role in Role:
        person = Person.objects.create(
            full_name=f"Dr {role.label}", email=f"{role.value}.person@nhs.test", user=personas[role]
        )
        RollEntry.objects.create(group=group, person=person, status=RollStatus.CORE)
        found[role] = person
    return found


@pytest.fixture
def forum(group, admin, icb) -> Forum:
    return services.forum_create(
        group=group,
        name="ICB board",
        organiser=icb,
        cadence="monthly",
        topics="Urgent care, Estates",
        briefing_days=7,
        report_days=10,
        actor=admin,
    )


@pytest.fixture
def seat(forum, admin) -> Seat:
    return services.seat_add(forum=forum, title="GP member", actor=admin)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def appoint(seat, admin) -> Callable[..., SeatAppointment]:
    def make(person: Person, holder: str = "representative", **fields: Any) -> SeatAppointment:
        values: dict[str, Any] = {
            "starts_on": today() - timedelta(days=400),
            "term_ends_on": today() + timedelta(days=365),
        }
        values.update(fields)
        return services.seat_appoint(seat=seat, person=person, holder=holder, actor=admin, **values)

    return make


@pytest.fixture
def make_meeting(forum) -> Callable[..., ForumMeeting]:
    """A forum meeting ``days`` from today (negative: past), made directly: the service refuses
    dates more than a year back, and the tests need any date."""

    def make(days: int) -> ForumMeeting:
        on = today() + timedelta(days=days)
        return ForumMeeting.objects.create(
            forum=forum,
            on=on,
            briefing_due_on=on - timedelta(days=forum.briefing_days),
            report_due_on=on + timedelta(days=forum.report_days),
        )

    return make


def state() -> tuple[Any, ...]:
    return (
        list(Forum.objects.order_by("pk").values_list()),
        list(Seat.objects.order_by("pk").values_list()),
        list(SeatAppointment.objects.order_by("pk").values_list()),
        list(ForumMeeting.objects.order_by("pk").values_list()),
        list(Position.objects.order_by("pk").values_list()),
        list(BriefingItem.objects.order_by("pk").values_list()),
        list(Briefing.objects.order_by("pk").values_list()),
        list(ReportBack.objects.order_by("pk").values_list()),
        OutgoingEmail.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged():`` asserts the block leaves representation and the audit log as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard
