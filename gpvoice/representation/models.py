"""Representation: forums (system meetings), seats for general practice at them, who holds each
seat, the positions register, and the briefing before and report-back after each forum meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, Person

NAME_MAX = 200
SHORT_MAX = 300
TEXT_MAX = 20_000


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    AD_HOC = "ad_hoc", "As called"


class Forum(models.Model):
    """A system meeting where general practice has a seat: ICB board, Place partnership, …"""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="forums")
    name = models.CharField(max_length=NAME_MAX)
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    topics = models.CharField(
        max_length=SHORT_MAX, blank=True, help_text="Topics of positions relevant here, separated by commas."
    )
    briefing_days = models.PositiveSmallIntegerField(default=7)
    report_days = models.PositiveSmallIntegerField(default=10)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="forum_name_once_per_group")]

    def __str__(self) -> str:
        return self.name

    def topic_list(self) -> list[str]:
        return [t.strip().lower() for t in self.topics.split(",") if t.strip()]


class Seat(models.Model):
    """One seat for general practice at a forum; each has a representative and a deputy."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="seats")
    title = models.CharField(max_length=NAME_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["forum__name", "title"]
        constraints = [models.UniqueConstraint(fields=["forum", "title"], name="seat_title_once_per_forum")]

    def __str__(self) -> str:
        return f"{self.forum}: {self.title}"


class Holder(models.TextChoices):
    REPRESENTATIVE = "representative", "Representative"
    DEPUTY = "deputy", "Deputy"


class SeatAppointment(models.Model):
    """A person in a seat for a term. ``ended_at`` is set when the seat is vacated (or the term has
    run out and someone new is appointed); rows are never deleted, so the record stays."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="seat_appointments")
    holder = models.CharField(max_length=16, choices=Holder.choices)
    starts_on = models.DateField()
    term_ends_on = models.DateField()
    name_public = models.BooleanField(
        default=False, help_text="The person agreed to be named on the group's public page."
    )
    findings = models.TextField(blank=True)  # what the conflict check found, in words
    proceed_reason = models.TextField(blank=True)  # why an officer appointed despite the findings
    system_role = models.BooleanField(default=False)  # holds a system role (governance.eligibility)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seat", "holder", "-starts_on"]
        constraints = [
            # Two officers appointing to one seat at once leave one representative (and one deputy):
            # the service locks the seat, and this partial index stands behind the lock.
            models.UniqueConstraint(
                fields=["seat", "holder"], condition=Q(ended_at__isnull=True), name="seat_one_live_holder"
            ),
            models.CheckConstraint(
                condition=Q(term_ends_on__gte=models.F("starts_on")), name="seat_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_holder_display()}, {self.seat}"


class ForumMeeting(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    on = models.DateField()
    # Kept from the forum's rules when the date is added, so "due" and "overdue" are plain filters.
    briefing_due_on = models.DateField()
    report_due_on = models.DateField()
    cancelled = models.BooleanField(default=False)
    report_chased_at = models.DateTimeField(null=True, blank=True)  # the one chase email, claimed by CAS
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "pk"]
        indexes = [
            models.Index(fields=["forum", "on"]),
            models.Index(fields=["briefing_due_on"]),
            models.Index(fields=["report_due_on"]),
        ]
        constraints = [models.UniqueConstraint(fields=["forum", "on"], name="forum_meeting_once_a_day")]

    def __str__(self) -> str:
        return f"{self.forum} on {self.on}"


class PositionStatus(models.TextChoices):
    CURRENT = "current", "Current"
    UNDER_REVIEW = "under_review", "Under review"
    WITHDRAWN = "withdrawn", "Withdrawn"


class BasisKind(models.TextChoices):
    BALLOT = "ballot", "Ballot result"
    CONSULTATION = "consultation", "Consultation"
    GROUP_DECISION = "group_decision", "Group decision (meeting minute)"
    EXECUTIVE_DECISION = "executive_decision", "Executive decision"
    OTHER = "other", "Other record"


class Position(models.Model):
    """An agreed position of general practice on a topic, with its basis."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="positions")
    topic = models.CharField(max_length=NAME_MAX)
    statement = models.TextField(max_length=TEXT_MAX)
    basis_kind = models.CharField(max_length=20, choices=BasisKind.choices)
    basis_label = models.CharField(max_length=SHORT_MAX)
    basis_href = models.CharField(max_length=500, blank=True)
    agreed_on = models.DateField()
    review_on = models.DateField()
    status = models.CharField(max_length=14, choices=PositionStatus.choices, default=PositionStatus.CURRENT)
    published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["topic", "-agreed_on", "pk"]
        indexes = [models.Index(fields=["group", "status", "topic"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("agreed_on")), name="position_review_after_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.statement[:60]}"


class ItemKind(models.TextChoices):
    ASK = "ask", "Ask for"
    RESIST = "resist", "Resist"
    RAISE = "raise", "Raise"


class BriefingItem(models.Model):
    """Something the representative should do at a forum meeting, added by them or an officer."""

    meeting = models.ForeignKey(ForumMeeting, on_delete=models.CASCADE, related_name="briefing_items")
    kind = models.CharField(max_length=8, choices=ItemKind.choices)
    text = models.TextField(max_length=2_000)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.text[:60]}"


class Briefing(models.Model):
    """The briefing sent for one forum meeting: what was sent (Markdown), to whom, and when read."""

    meeting = models.OneToOneField(ForumMeeting, on_delete=models.CASCADE, related_name="briefing")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Briefing for {self.meeting}"


class Held(models.TextChoices):
    HELD = "held", "Yes, every position was held"
    PARTLY = "partly", "Partly: see the notes"
    NOT_HELD = "not_held", "No: see the notes"
    NONE = "none", "No position was at stake"


class ReportBack(models.Model):
    """What happened at a forum meeting, filed by the representative (or deputy) afterwards."""

    meeting = models.OneToOneField(ForumMeeting, on_delete=models.CASCADE, related_name="report")
    person = models.ForeignKey(Person, null=True, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(default=True)
    discussed = models.TextField(max_length=TEXT_MAX)
    decisions = models.TextField(max_length=TEXT_MAX, blank=True)
    asks = models.TextField(max_length=TEXT_MAX, blank=True)
    positions_held = models.CharField(max_length=10, choices=Held.choices)
    held_notes = models.TextField(max_length=TEXT_MAX, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    noted_at = models.DateTimeField(null=True, blank=True)  # noted at a group meeting (core.agenda)

    class Meta:
        indexes = [models.Index(fields=["filed_at"])]

    def __str__(self) -> str:
        return f"Report-back from {self.meeting}"
