"""Meetings of a group and of its executive: invitees, agenda, minutes, decisions and actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person

TITLE_MAX = 200
TEXT_MAX = 20_000
PLACE_MAX = 300


class MeetingSettings(models.Model):
    """Per-group meeting rules: the quorum and what observers may read."""

    group = models.OneToOneField(LeadershipGroup, on_delete=models.CASCADE, related_name="meeting_settings")
    # Quorum: at least this share of the members who count (core members; the whole executive at
    # an executive meeting) must attend, and never fewer than one.
    quorum_num = models.PositiveSmallIntegerField(default=1)
    quorum_den = models.PositiveSmallIntegerField(default=2)
    observers_see_papers = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "meeting settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_den__gt=0) & Q(quorum_num__lte=models.F("quorum_den")),
                name="meeting_quorum_is_a_share",
            )
        ]

    def __str__(self) -> str:
        return f"Meeting settings for {self.group}"


class Body(models.TextChoices):
    GROUP = "group", "Group meeting"
    EXECUTIVE = "executive", "Executive meeting"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="meetings")
    body = models.CharField(max_length=10, choices=Body.choices, default=Body.GROUP)
    title = models.CharField(max_length=TITLE_MAX)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=PLACE_MAX, blank=True)
    video_link = models.URLField(max_length=500, blank=True)
    chair = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: bumped on each change.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["group", "body", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A person invited from the roll; apologies before the meeting, attendance at it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meeting_invitations")
    status = models.CharField(max_length=10)  # core / attendee / observer / executive, as on the roll
    counts_for_quorum = models.BooleanField(default=False)
    apologies_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(default=False)

    class Meta:
        ordering = ["person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invitation_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.meeting}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=TITLE_MAX)
    heading = models.CharField(max_length=60, default="For discussion")
    source = models.CharField(max_length=60, blank=True)  # registered agenda source; blank when added by hand
    source_ref = models.CharField(max_length=64, blank=True)
    href = models.CharField(max_length=500, blank=True)
    notable = models.BooleanField(default=False)
    noted_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_allowed = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Drafting twice (or two officers at once) adds each source record once.
            models.UniqueConstraint(
                fields=["meeting", "source", "source_ref"],
                condition=~Q(source=""),
                name="agenda_item_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ItemMinutes(models.Model):
    """The minutes of one item. ``version`` rises on each save: a save from an older version is refused."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "item minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.item}"


class MinutesCorrection(models.Model):
    """A correction to approved minutes: a new version with its reason; the approved text stays."""

    minutes = models.ForeignKey(ItemMinutes, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField()
    reason = models.CharField(max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Correction to {self.minutes}"


class MeetingDecision(models.Model):
    """A decision on an item; it may rest on a ballot of the group, or on a show of hands at the meeting.

    The ballot is named by the app label (no import: meetings imports no other domain app); the service
    checks it is the same group's. A show of hands is all three counts or none of them."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    quorate = models.BooleanField(help_text="Whether the meeting was quorate when the decision was recorded.")
    ballot = models.ForeignKey(
        "ballots.Ballot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hands_for = models.PositiveIntegerField(null=True, blank=True)
    hands_against = models.PositiveIntegerField(null=True, blank=True)
    hands_abstain = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(hands_for__isnull=True, hands_against__isnull=True, hands_abstain__isnull=True)
                    | Q(hands_for__isnull=False, hands_against__isnull=False, hands_abstain__isnull=False)
                ),
                name="meeting_decision_hands_all_or_none",
            ),
            models.CheckConstraint(
                condition=Q(ballot__isnull=True) | Q(hands_for__isnull=True),
                name="meeting_decision_ballot_or_hands",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def has_hands(self) -> bool:
        return self.hands_for is not None


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Action(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="meeting_actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meeting_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["group", "status", "due_on"])]

    def __str__(self) -> str:
        return self.description


class ItemInterest(models.Model):
    """An interest declared on one agenda item, and whether the person withdrew for it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="item_interests")
    nature = models.CharField(max_length=300)
    withdrew = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="item_interest_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.nature}"


class CalendarFeed(models.Model):
    """A person's private calendar address: only the token's hash is kept; revoking ends it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live address per person: a new one revokes the old under the same lock.
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_live"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


def paper_path(instance: Paper, filename: str) -> str:
    # Never the uploader's file name in the path: it is kept in ``name`` for display only.
    meeting = instance.item.meeting
    return f"meetings/{meeting.group_id}/{meeting.pk}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class Paper(models.Model):
    """A paper for an agenda item, in the file storage; served only after a permission check."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=paper_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
