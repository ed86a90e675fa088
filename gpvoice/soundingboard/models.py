"""The sounding board: a plan submitted in confidence, its reviewers and their structured reviews.

Only the submitting organisation's signatories and the assigned reviewers may read a plan, its
documents and its reviews; officers see that a submission exists, whose it is and its status (ADR 12).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation

TITLE_MAX = 200
TEXT_MAX = 20_000
REVIEW_MAX = 10_000
REASON_MAX = 1_000


class Perspective(models.TextChoices):
    FUNDER = "funder", "Funder"
    COMMISSIONER = "commissioner", "Commissioner"
    REGULATOR = "regulator", "Regulator"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Review returned"
    READ = "read", "Review read"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN = (Status.SUBMITTED, Status.IN_REVIEW)


class Submission(models.Model):
    group = models.ForeignKey(LeadershipGroup, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=TITLE_MAX)
    plan = models.TextField(max_length=TEXT_MAX)
    perspectives = models.JSONField(default=list)  # a subset of Perspective's values, in its order
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    returned_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)  # returned or withdrawn: retention runs from here

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["group", "status", "submitted_at"]),
            models.Index(fields=["organisation", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"Sounding board submission SB-{self.pk}"

    @property
    def reference(self) -> str:
        return f"SB-{self.pk}"

    def perspective_labels(self) -> list[str]:
        return [Perspective(p).label for p in Perspective.values if p in self.perspectives]


def document_path(instance: Document, filename: str) -> str:
    # Never the uploader's file name in the path: it is kept in ``name`` for display only.
    sub = instance.submission
    return f"soundingboard/{sub.group_id}/{sub.pk}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class Document(models.Model):
    """A file of the plan, in the file storage; served only after a permission check, never by link."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=document_path, max_length=300)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A reviewer assigned to a submission, with the conflicts found then and any override's reason.

    The reviewer's access ends ``access_ends_at`` (their review returned plus the set period).
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conflicts = models.JSONField(default=list)  # what the check found, as shown to the officer
    override_reason = models.TextField(max_length=REASON_MAX, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    returned_at = models.DateTimeField(null=True, blank=True)
    access_ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            # Two officers assigning the same reviewer at once: one row, the other is refused.
            models.UniqueConstraint(fields=["submission", "reviewer"], name="sb_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"Reviewer of SB-{self.submission_id}"


class Review(models.Model):
    """The structured review a reviewer returns; written once, on return."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    funder = models.TextField(max_length=REVIEW_MAX, blank=True)
    commissioner = models.TextField(max_length=REVIEW_MAX, blank=True)
    regulator = models.TextField(max_length=REVIEW_MAX, blank=True)
    strengths = models.TextField(max_length=REVIEW_MAX)
    weaknesses = models.TextField(max_length=REVIEW_MAX)
    questions = models.TextField(max_length=REVIEW_MAX)
    returned_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Review of SB-{self.assignment.submission_id}"
