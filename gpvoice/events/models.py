"""Sessions for practices (think tanks, retirement planning, leaders' events) with few places.

Places are a scarce resource, handled as pretix handles quotas: every write to a session's
bookings locks the session row first (``services.checks.lock_session``), counts under the lock and
keeps ``Session.booked`` (places held: booked and offered) in the same transaction. A partial
unique constraint stands behind the lock: one live booking (booked, offered or waiting) per person
per session, and the database refuses a kept count above capacity.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Person

TITLE_MAX = 200
PLACE_MAX = 300
TEXT_MAX = 10_000
CAPACITY_MAX = 10_000


class Kind(models.TextChoices):
    THINK_TANK = "think_tank", "Think tank"
    SOUNDING_BOARD = "sounding_board", "Sounding board slot"
    RETIREMENT = "retirement", "Retirement planning"
    LEADERS = "leaders", "Leaders' event"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    FOOTPRINT = "footprint", "People at the practices of the footprint"
    PCN_LEADERS = "pcn_leaders", "PCN clinical directors and managers"
    ROLL = "roll", "People on the group's roll"
    LINK = "link", "Anyone with the link"


class WaitMode(models.TextChoices):
    PROMOTE = "promote", "Give the place to the first person waiting and email them"
    OFFER = "offer", "Offer the place to the first person waiting for a set time"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Session(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.THINK_TANK)
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(blank=True, help_text="Markdown.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=PLACE_MAX, blank=True)
    link = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField()
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.FOOTPRINT)
    opens_at = models.DateTimeField(help_text="Booking opens.")
    closes_at = models.DateTimeField(help_text="Booking closes.")
    cancel_by = models.DateTimeField(help_text="People may give up their own place until then.")
    wait_mode = models.CharField(max_length=10, choices=WaitMode.choices, default=WaitMode.PROMOTE)
    offer_hours = models.PositiveSmallIntegerField(default=24)
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    # Kept, under the session's lock, in the same transaction as every booking write: places held
    # (booked or offered), and the last waiting-list number given (arrival order).
    booked = models.PositiveIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: bumped on each change.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["group", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="session_never_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="session_closes_after_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    OFFERED = "offered", "Offered a place"
    WAITING = "waiting", "Waiting"
    CANCELLED = "cancelled", "Cancelled"
    REMOVED = "removed", "Removed by an officer"
    LAPSED = "lapsed", "Offer lapsed"
    DECLINED = "declined", "Offer declined"


LIVE = (BookingStatus.BOOKED, BookingStatus.OFFERED, BookingStatus.WAITING)
HOLDING = (BookingStatus.BOOKED, BookingStatus.OFFERED)


class Booking(models.Model):
    """A person's place, offer or waiting-list position on a session; ended rows are kept."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    position = models.PositiveIntegerField(help_text="Arrival order on the session (waiting list order).")
    created_at = models.DateTimeField(default=timezone.now)
    booked_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        indexes = [
            models.Index(fields=["session", "status", "position"]),
            models.Index(fields=["user", "status"]),
        ]
        constraints = [
            # Why partial: a person who cancelled may book again, but never holds two live rows
            # (two places, a place and a queue position, or two queue positions) on one session.
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["booked", "offered", "waiting"]),
                name="booking_one_live_per_person",
            ),
            models.UniqueConstraint(fields=["session", "position"], name="booking_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.session}"
