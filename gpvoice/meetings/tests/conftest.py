from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import Person
from gpvoice.governance.models import (
    Authority,
    DecisionCategory,
    DecisionStatus,
    ExecutiveDecision,
    RollEntry,
    RollStatus,
)
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.meetings import services
from gpvoice.meetings.models import (
    Action,
    AgendaItem,
    CalendarFeed,
    Invitation,
    ItemInterest,
    ItemMinutes,
    Meeting,
    MeetingDecision,
    MeetingSettings,
    MinutesCorrection,
)

ROLL = {
    Role.ADMIN: RollStatus.CORE,
    Role.EXECUTIVE: RollStatus.CORE,
    Role.CORE: RollStatus.CORE,
    Role.ATTENDEE: RollStatus.ATTENDEE,
    Role.OBSERVER: RollStatus.OBSERVER,
}


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def people(group, personas) -> dict[Role, Person]:
    """A directory person for each member on the roll: three core members, an attendee, an observer."""
    found = {}
    for role, status in ROLL.items():
        person = Person.objects.create(
            full_name=f"Dr {role.label}", email=f"{role.value}.person@nhs.test", user=personas[role]
        )
        RollEntry.objects.create(group=group, person=person, status=status)
        found[role] = person
    return found


def soon(days: int = 7, hour: int = 18) -> tuple[Any, Any]:
    start = (timezone.localtime() + timedelta(days=days)).replace(
        hour=hour, minute=30, second=0, microsecond=0
    )
    return start, start + timedelta(hours=2)


@pytest.fixture
def make_meeting(group, admin, people) -> Callable[..., Meeting]:
    def make(days: int = 7, **fields: Any) -> Meeting:
        starts_at, ends_at = soon(days)
        return services.meeting_create(
            group=group,
            title=fields.pop("title", "Core group"),
            starts_at=starts_at,
            ends_at=ends_at,
            actor=admin,
            **fields,
        )

    return make


@pytest.fixture
def held(make_meeting, admin) -> Callable[..., Meeting]:
    """A meeting called, then (its start reached) marked held, attended by ``present`` roles."""

    def make(present=(Role.ADMIN, Role.EXECUTIVE), **fields: Any) -> Meeting:
        meeting = make_meeting(**fields)
        meeting = services.meeting_hold(meeting=meeting, actor=admin, now=meeting.starts_at)
        ids = [
            i.pk
            for i in Invitation.objects.filter(meeting=meeting, person__user__memberships__role__in=present)
        ]
        services.attendance_record(meeting=meeting, present=ids, actor=admin)
        return meeting

    return make


@pytest.fixture
def decision(group, admin) -> ExecutiveDecision:
    category = DecisionCategory.objects.create(
        group=group, name="Spending", authority=Authority.EXECUTIVE, review_date=date(2030, 1, 1)
    )
    return ExecutiveDecision.objects.create(
        group=group,
        category=category,
        title="Bought a projector",
        rationale="For meetings",
        status=DecisionStatus.TAKEN,
        decided_by=admin,
    )


def state() -> tuple[Any, ...]:
    """Everything a refused meetings write must leave as it was."""
    return (
        list(
            Meeting.objects.order_by("pk").values_list(
                "pk", "title", "status", "starts_at", "minutes_approved_at"
            )
        ),
        list(Invitation.objects.order_by("pk").values_list("pk", "apologies_at", "attended")),
        list(
            AgendaItem.objects.order_by("pk").values_list(
                "pk", "title", "position", "minutes_allowed", "noted_at"
            )
        ),
        list(ItemMinutes.objects.order_by("pk").values_list("pk", "text", "version")),
        list(MinutesCorrection.objects.order_by("pk").values_list("pk", "text")),
        list(MeetingDecision.objects.order_by("pk").values_list("pk", "text", "quorate")),
        list(Action.objects.order_by("pk").values_list("pk", "description", "status", "due_on")),
        list(ItemInterest.objects.order_by("pk").values_list("pk", "nature", "withdrew")),
        list(MeetingSettings.objects.order_by("pk").values_list("pk", "quorum_num", "quorum_den")),
        list(CalendarFeed.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(ExecutiveDecision.objects.order_by("pk").values_list("pk", "noted_at")),
        OutgoingEmail.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged():`` asserts the block leaves meetings and the audit log as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard
