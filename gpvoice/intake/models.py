"""The single point of access: requests from system partners, their conversation and history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup

TEXT_MAX = 20_000
SUBJECT_MAX = 200


class Status(models.TextChoices):
    UNVERIFIED = "unverified", "Awaiting email check"
    RECEIVED = "received", "Received"
    TRIAGED = "triaged", "Triaged"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING = "waiting", "Waiting on requester"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.TRIAGED, Status.IN_PROGRESS, Status.WAITING})


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Route(models.TextChoices):
    """How the answer was reached: what stands behind it."""

    DIRECT = "direct", "Answered by the executive"
    DECISION = "decision", "An executive decision"
    BALLOT = "ballot", "A ballot of practices"
    MEETING = "meeting", "The group's next meeting"


class Category(models.Model):
    """A group's kind of request, with its service level in working days."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="request_categories")
    name = models.CharField(max_length=100)
    service_days = models.PositiveSmallIntegerField(help_text="Working days to answer.")

    class Meta:
        ordering = ["name"]
        verbose_name = "request category"
        verbose_name_plural = "request categories"
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="intake_category_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.service_days} working days)"


class ReferenceCounter(models.Model):
    """The last reference number given in a group in a year: locked to hand out the next, gap-free."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "year"], name="intake_counter_once")]

    def __str__(self) -> str:
        return f"{self.group} {self.year}: {self.last}"


class AccessRequest(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="access_requests")
    reference = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNVERIFIED)
    # Who asks: a directory organisation when known, else the name they typed.
    organisation = models.ForeignKey(
        "directory.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(max_length=255)
    requester_name = models.CharField(max_length=200)
    requester_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=SUBJECT_MAX)
    body = models.TextField()
    wanted_by = models.DateField(null=True, blank=True)
    is_nominee_request = models.BooleanField(default=False)
    via_api = models.BooleanField(default=False)
    # Triage
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(null=True, blank=True)
    paused_on = models.DateField(null=True, blank=True, help_text="Clock paused since (waiting).")
    paused_days = models.PositiveIntegerField(default=0, help_text="Working days spent waiting so far.")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decline_reason = models.TextField(blank=True)
    # What stands behind the answer.
    route = models.CharField(max_length=10, choices=Route.choices, blank=True)
    decision = models.ForeignKey(
        "governance.ExecutiveDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ballot = models.ForeignKey(
        "ballots.Ballot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(null=True, blank=True, help_text="Referred to the next meeting.")
    # Times
    created_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    breach_warned_at = models.DateTimeField(null=True, blank=True)
    # One-time links: only their hashes are kept.
    verify_hash = models.CharField(max_length=64, blank=True)
    verify_expires_at = models.DateTimeField(null=True, blank=True)
    tracking_hash = models.CharField(max_length=64, blank=True)
    tracking_revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The gap-free counter is the first defence; this is the last.
            models.UniqueConstraint(
                fields=["group", "reference"], condition=~Q(reference=""), name="intake_reference_once"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status", "created_at"], name="intake_queue"),
            models.Index(fields=["verify_hash"], name="intake_verify"),
            models.Index(fields=["tracking_hash"], name="intake_tracking"),
        ]

    def __str__(self) -> str:
        return self.reference or f"Unverified request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class StatusChange(models.Model):
    """Append-only history of a request's status."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.status}"


class Author(models.TextChoices):
    REQUESTER = "requester", "Requester"
    OFFICER = "officer", "Officer"


class Message(models.Model):
    """One turn of the conversation between the requester and the group. Append-only."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    is_answer = models.BooleanField(default=False)
    basis = models.CharField(max_length=500, blank=True, help_text="What stands behind an answer.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request} {self.author} {self.created_at:%Y-%m-%d}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the requester's file name in the path: it is kept in ``name`` for display only.
    return f"intake/{instance.request.group_id}/{instance.request_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class Attachment(models.Model):
    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class MonthlyServiceLevel(models.Model):
    """A group's service-level figures for the requests received in one month (local time), kept by
    the services in the same transaction as each write that changes them (intake.kept) so that the
    service-level page reads twelve rows, never the requests. ``gpvoice recount`` rebuilds and checks
    them.

    The medians come from ``*_days``: how many requests took 0, 1, … working days (the last slot
    counts every request that took more than ``servicelevels.DAYS_KEPT``), so a median is exact up
    to that bound and reported as "more than" it beyond."""

    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the requests were received in.")
    received = models.PositiveIntegerField(default=0)
    first_responded = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    answered_in_time = models.PositiveIntegerField(default=0)
    first_response_days = models.JSONField(default=list)
    answer_days = models.JSONField(default=list)

    class Meta:
        ordering = ["group", "month"]
        constraints = [models.UniqueConstraint(fields=["group", "month"], name="intake_month_once")]

    def __str__(self) -> str:
        return f"{self.group} {self.month:%Y-%m}"
