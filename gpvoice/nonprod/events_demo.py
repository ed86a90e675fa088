"""Demo sessions: a think tank with a waiting list, a retirement planning session fully booked,
and a leaders' event held last month with its attendance taken.

Sessions are set up and booked through the services. The bookers are people of the footprint's
practices, given a login here (the demo's practice-staff login books first). The past event is set
up for next week and then moved back a month, which only demo data may do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import FootprintPractice, Person
from gpvoice.events import services
from gpvoice.events.models import Audience, Booking, Kind, Session, WaitMode

THINK_TANK = (
    "Before your practice or PCN writes its winter plan, talk it through with colleagues and the LMC. "
    "Bring a **one-page outline**; you will leave with questions a commissioner would ask."
)


def _bookers(group: LeadershipGroup, n: int) -> list[User]:
    """The practice-staff login, then people at the footprint's practices, each with a login."""
    found = [User.objects.get(email=f"practice.staff@{group.slug}.example.nhs.uk")]
    practices = FootprintPractice.objects.filter(group=group).values("practice_id")
    people = (
        Person.objects.filter(
            appointments__organisation_id__in=practices, appointments__end__isnull=True, user__isnull=True
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")[: n - 1]
    )
    for person in people:
        user = User.objects.filter(email=person.email).first() or User.objects.create_user(
            email=person.email, full_name=person.full_name
        )
        person.user = user
        person.save(update_fields=["user"])
        found.append(user)
    return found


def _details(title: str, kind: str, *, days: int, capacity: int, **extra: Any) -> services.Details:
    start = (timezone.localtime() + timedelta(days=days)).replace(hour=13, minute=0, second=0, microsecond=0)
    values: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "description": extra.pop("description", ""),
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "place": "Northvale Medical Education Centre, Room 2",
        "link": "",
        "capacity": capacity,
        "audience": Audience.FOOTPRINT,
        "opens_at": timezone.now() - timedelta(days=1),
        "closes_at": start - timedelta(hours=2),
        "cancel_by": start - timedelta(days=1),
        "wait_mode": WaitMode.PROMOTE,
        "offer_hours": 24,
    }
    values.update(extra)
    return services.Details(**values)


def _book(session: Session, users: list[User]) -> None:
    for user in users:
        services.booking_make(session=session, actor=user)


@transaction.atomic
def load_events(group: LeadershipGroup) -> None:
    if Session.objects.filter(group=group).exists():
        return  # loaded before
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    bookers = _bookers(group, 10)
    think = services.session_create(
        group=group,
        details=_details(
            "Think tank: your winter plan",
            Kind.THINK_TANK,
            days=12,
            capacity=6,
            description=THINK_TANK,
            wait_mode=WaitMode.OFFER,
        ),
        actor=admin,
    )
    _book(think, bookers[:9])  # six places, three waiting
    retire = services.session_create(
        group=group,
        details=_details(
            "Retirement planning for partners",
            Kind.RETIREMENT,
            days=20,
            capacity=4,
            description="Pensions, partnership deeds and succession, with an adviser.",
        ),
        actor=admin,
    )
    _book(retire, bookers[1:5])  # every place taken
    _past_event(group, admin, bookers[4:10])


def _past_event(group: LeadershipGroup, admin: User, bookers: list[User]) -> None:
    held = services.session_create(
        group=group,
        details=_details("Leaders' evening: working at scale", Kind.LEADERS, days=7, capacity=8),
        actor=admin,
    )
    _book(held, bookers)
    shift = timedelta(days=37)
    Session.objects.filter(pk=held.pk).update(
        starts_at=held.starts_at - shift,
        ends_at=held.ends_at - shift,
        opens_at=held.opens_at - shift,
        closes_at=held.closes_at - shift,
        cancel_by=held.cancel_by - shift,
    )
    held.refresh_from_db()
    came = list(Booking.objects.filter(session=held).order_by("position").values_list("pk", flat=True))[:-2]
    services.attendance_record(session=held, attended=came, actor=admin, now=held.starts_at)
