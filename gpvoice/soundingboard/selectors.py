"""Reads for the sounding board, always scoped to the group and to who is asking.

A plan, its documents and its reviews are readable only by a current signatory of the submitting
organisation or by an assigned reviewer whose access has not ended. Everyone else, officers
included, gets None (a 404): they learn only what ``officer_rows`` shows (ADR 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, OrgType
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance.selectors import current_appointments_qs

from .models import Assignment, Document, Review, Status, Submission


def _id(pk: object) -> int | None:
    if isinstance(pk, int):
        return pk
    if isinstance(pk, str) and pk.isascii() and pk.isdigit() and len(pk) < 12:
        return int(pk)
    return None


def signed_for(*, user: Any) -> QuerySet[Organisation]:
    """Organisations the user is a current signatory of (practices and PCNs alike)."""
    ids = current_appointments_qs().filter(person__user=user, is_signatory=True).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids)


def submitting_organisations(*, group: LeadershipGroup, user: Any) -> list[Organisation]:
    """What the user may submit for: a footprint practice, or a PCN of footprint practices, they sign for."""
    if not getattr(user, "is_authenticated", False):
        return []
    practices = footprint_practices(group=group)
    in_footprint = Q(org_type=OrgType.PRACTICE, pk__in=practices.values("pk")) | Q(
        org_type=OrgType.PCN, pk__in=practices.values("pcn_id")
    )
    return list(signed_for(user=user).filter(in_footprint).order_by("name"))


def _reviewing(user: Any, now: datetime) -> Q:
    """Assignments that still give their reviewer the plan: not ended, on a plan not withdrawn."""
    return Q(reviewer=user) & (Q(access_ends_at__isnull=True) | Q(access_ends_at__gt=now))


def readable(*, group: LeadershipGroup, user: Any) -> QuerySet[Submission]:
    """Submissions of the group this user may read: as signatory, or as a reviewer with access."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    now = timezone.now()
    reviewing = Assignment.objects.filter(_reviewing(user, now), submission=OuterRef("pk")).exclude(
        submission__status=Status.WITHDRAWN
    )
    return (
        Submission.objects.filter(group=group)
        .annotate(as_reviewer=Exists(reviewing))
        .filter(Q(organisation__in=signed_for(user=user)) | Q(as_reviewer=True))
        .select_related("organisation")
    )


def submission_for(*, group: LeadershipGroup, user: Any, pk: object) -> Submission | None:
    """One submission the user may read, or None (another group's, another's plan, or none: a 404)."""
    found = _id(pk)
    return None if found is None else readable(group=group, user=user).filter(pk=found).first()


def is_signatory_of(*, submission: Submission, user: Any) -> bool:
    return signed_for(user=user).filter(pk=submission.organisation_id).exists()


def assignment_of(*, submission: Submission, user: Any) -> Assignment | None:
    """The user's assignment to this submission while it still gives access, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Assignment.objects.filter(_reviewing(user, timezone.now()), submission=submission)
        .select_related("review")
        .first()
    )


def documents(*, submission: Submission) -> list[Document]:
    return list(submission.documents.all())


def document_for(*, submission: Submission, pk: object) -> Document | None:
    found = _id(pk)
    return None if found is None else submission.documents.filter(pk=found).first()


def reviews(*, submission: Submission) -> list[Review]:
    return list(
        Review.objects.filter(assignment__submission=submission)
        .select_related("assignment__reviewer")
        .order_by("returned_at", "id")
    )


# The submitter's and the reviewer's own lists -----------------------------------------------------


def mine(*, group: LeadershipGroup, user: Any) -> QuerySet[Submission]:
    """Submissions of the organisations the user signs for, newest first."""
    return (
        Submission.objects.filter(group=group, organisation__in=signed_for(user=user))
        .select_related("organisation")
        .order_by("-submitted_at", "-id")
    )


def my_assignments(*, group: LeadershipGroup, user: Any) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(_reviewing(user, timezone.now()), submission__group=group)
        .exclude(submission__status=Status.WITHDRAWN)
        .select_related("submission__organisation")
        .order_by("returned_at", "-assigned_at")
    )


# What officers see: that a submission exists, whose it is and its status; never its content --------


@dataclass(frozen=True)
class OfficerView:
    submission: Submission
    assignments: list[Assignment]


def officer_list(*, group: LeadershipGroup) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(group=group)
        .select_related("organisation")
        .annotate(reviewers=Count("assignments"))
        .only("pk", "organisation__name", "organisation__ods_code", "status", "submitted_at", "perspectives")
        .order_by("-submitted_at", "-id")
    )


def officer_view(*, group: LeadershipGroup, pk: object) -> OfficerView | None:
    found = _id(pk)
    submission = None if found is None else officer_list(group=group).filter(pk=found).first()
    if submission is None:
        return None
    assignments = list(
        Assignment.objects.filter(submission=submission).select_related("reviewer", "assigned_by")
    )
    return OfficerView(submission, assignments)


# Counts for the home to-do list and the practice record --------------------------------------------


def reviews_to_read(*, group: LeadershipGroup, user: Any) -> list[Submission]:
    return list(mine(group=group, user=user).filter(status=Status.RETURNED)[:20])


def reviews_to_return(*, group: LeadershipGroup, user: Any) -> list[Assignment]:
    return list(my_assignments(group=group, user=user).filter(returned_at__isnull=True)[:20])


def of_organisation(
    *, group: LeadershipGroup, organisation: Organisation, limit: int = 20
) -> list[Submission]:
    return list(
        Submission.objects.filter(group=group, organisation=organisation)
        .only("pk", "title", "status", "submitted_at")
        .order_by("-submitted_at", "-id")[:limit]
    )


def counts_by_status(*, group: LeadershipGroup) -> dict[str, int]:
    """One grouped count: how many of the group's submissions are at each status."""
    rows = Submission.objects.filter(group=group).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}
