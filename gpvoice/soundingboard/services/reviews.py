"""Officers assign reviewers (checked for conflicts); reviewers return a structured review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.formats import day
from gpvoice.core.models import Membership
from gpvoice.jobs.mail import queue_email
from gpvoice.notifications.recipients import signatories

from .. import conflicts
from ..models import OPEN, REASON_MAX, REVIEW_MAX, Assignment, Perspective, Review, Status, Submission
from ..transitions import move
from .common import SoundingBoardError, clean, lock_submission


class ConflictsFound(SoundingBoardError):
    """Conflicts were found and no reason to override them was given: show them and ask for one."""

    def __init__(self, found: list[str]) -> None:
        super().__init__("Conflicts of interest were found. Give a reason to assign this reviewer anyway.")
        self.found = found


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _reviewer(group: Any, email: Any) -> Any:
    address = clean(email, name="Reviewer's email address", limit=254).lower()
    membership = (
        Membership.objects.filter(group=group, user__email__iexact=address, user__is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise SoundingBoardError(f"No member of {group.name} has the email address {address}.")
    return membership.user


@transaction.atomic
def reviewer_assign(*, submission: Submission, email: Any, override_reason: Any, actor: Any) -> Assignment:
    submission = lock_submission(submission)
    group = submission.group
    rules.require_officer(
        group,
        actor,
        message=f"Only the officers of {group.name} can assign reviewers.",
        refuse=SoundingBoardError,
    )
    if submission.status not in OPEN:
        raise SoundingBoardError(
            f"The submission is {Status(submission.status).label.lower()}: it takes no more reviewers."
        )
    reviewer = _reviewer(group, email)
    reason = clean(override_reason, name="Reason", limit=REASON_MAX, required=False)
    found = conflicts.check(reviewer=reviewer, organisation=submission.organisation)
    if found.refusal:
        raise SoundingBoardError(found.refusal)
    if found.conflicts and not reason:
        raise ConflictsFound(found.conflicts)
    if Assignment.objects.filter(submission=submission, reviewer=reviewer).exists():
        raise SoundingBoardError(f"{reviewer.email} is already a reviewer of this submission.")
    assignment = Assignment.objects.create(
        submission=submission,
        reviewer=reviewer,
        conflicts=found.conflicts,
        override_reason=reason if found.conflicts else "",
        assigned_by=actor,
    )
    if submission.status == Status.SUBMITTED:
        move(submission, frm=(Status.SUBMITTED,), to=Status.IN_REVIEW)
    href = _link(reverse("soundingboard:review", args=[group.slug, submission.pk]))
    queue_email(
        key=f"soundingboard-assigned:{assignment.pk}",
        to=[reviewer.email],
        subject=f"A plan for you to review in confidence – {group.name}",
        body=(
            "You have been asked to review a plan submitted in confidence to the "
            f"{group.name} sounding board by {submission.organisation.name}.\n\n"
            f"Read it and return your review here: {href}\n\n"
            "Please do not share the plan or its documents."
        ),
    )
    audit.record(
        action="soundingboard.reviewer.assigned",
        actor=actor,
        group=group,
        obj=assignment,
        data={
            "submission": submission.pk,
            "reviewer": reviewer.pk,
            "conflicts": found.conflicts,
            "override_reason": assignment.override_reason,
        },
    )
    return assignment


def _review_fields(submission: Submission, answers: dict[str, Any]) -> dict[str, str]:
    wanted = set(submission.perspectives)
    fields = {
        p: clean(
            answers.get(p), name=f"{Perspective(p).label} perspective", limit=REVIEW_MAX, required=p in wanted
        )
        for p in Perspective.values
    }
    for name, label in (
        ("strengths", "Strengths"),
        ("weaknesses", "Weaknesses"),
        ("questions", "Questions to answer"),
    ):
        fields[name] = clean(answers.get(name), name=label, limit=REVIEW_MAX)
    return fields


def _tell_submitters(submission: Submission, assignment: Assignment) -> None:
    href = _link(reverse("soundingboard:detail", args=[submission.group.slug, submission.pk]))
    for recipient in signatories([submission.organisation_id]):
        queue_email(
            key=f"soundingboard-returned:{assignment.pk}:{recipient.address}",
            to=[recipient.address],
            subject=f"A review of your plan is ready – {submission.group.name}",
            body=(
                f"A reviewer has returned their review of the plan {submission.organisation.name} submitted "
                f"in confidence to the {submission.group.name} sounding board on "
                f"{day(submission.submitted_at)}.\n\n"
                f"Read it here (signatories of {submission.organisation.name} only): {href}"
            ),
        )


@transaction.atomic
def review_return(*, submission: Submission, answers: dict[str, Any], actor: Any) -> Review:
    submission = lock_submission(submission)
    rules.require_member(submission.group, actor, refuse=SoundingBoardError)
    now = timezone.now()
    assignment = (
        Assignment.objects.filter(submission=submission, reviewer=actor).first()
        if getattr(actor, "is_authenticated", False)
        else None
    )
    if assignment is None:
        raise SoundingBoardError("Only a reviewer assigned to this plan can return a review of it.")
    if assignment.returned_at is not None:
        raise SoundingBoardError("You have already returned your review of this plan.")
    if submission.status not in OPEN:
        raise SoundingBoardError(
            f"The plan is {Status(submission.status).label.lower()}: it takes no more reviews."
        )
    fields = _review_fields(submission, answers)
    ends = now + timedelta(days=settings.SOUNDINGBOARD_REVIEWER_ACCESS_DAYS)
    # Compare-and-swap: of two returns of the same assignment (two tabs), one lands.
    if (
        Assignment.objects.filter(pk=assignment.pk, returned_at__isnull=True).update(
            returned_at=now, access_ends_at=ends
        )
        != 1
    ):
        raise SoundingBoardError("You have already returned your review of this plan.")
    review = Review.objects.create(assignment=assignment, returned_at=now, **fields)
    if not Assignment.objects.filter(submission=submission, returned_at__isnull=True).exists():
        move(submission, frm=OPEN, to=Status.RETURNED, returned_at=now, closed_at=now)
    _tell_submitters(submission, assignment)
    audit.record(
        action="soundingboard.review.returned",
        actor=actor,
        group=submission.group,
        obj=assignment,
        data={"submission": submission.pk, "all_returned": submission.status == Status.RETURNED},
    )
    return review


@transaction.atomic
def reviewer_remove(*, submission: Submission, assignment_id: Any, actor: Any) -> None:
    """An officer takes a reviewer off a plan before their review is back (a conflict found late,
    a reviewer away): their access ends at once. A returned review stays with the plan."""
    submission = lock_submission(submission)
    group = submission.group
    rules.require_officer(
        group,
        actor,
        message=f"Only the officers of {group.name} can remove reviewers.",
        refuse=SoundingBoardError,
    )
    found = str(assignment_id or "")
    assignment = (
        Assignment.objects.filter(submission=submission, pk=int(found)).select_related("reviewer").first()
        if found.isascii() and found.isdigit() and len(found) < 12
        else None
    )
    if assignment is None:
        raise SoundingBoardError("That reviewer is not on this plan.")
    if assignment.returned_at is not None:
        raise SoundingBoardError("That reviewer has returned their review: it stays with the plan.")
    if submission.status not in OPEN:
        raise SoundingBoardError(
            f"The plan is {Status(submission.status).label.lower()}: its reviewers stay."
        )
    reviewer_id = assignment.reviewer_id
    assignment.delete()
    remaining = Assignment.objects.filter(submission=submission)
    now = timezone.now()
    if not remaining.exists():
        move(submission, frm=OPEN, to=Status.SUBMITTED)
    elif not remaining.filter(returned_at__isnull=True).exists():
        move(submission, frm=OPEN, to=Status.RETURNED, returned_at=now, closed_at=now)
    audit.record(
        action="soundingboard.reviewer.removed",
        actor=actor,
        group=group,
        obj=submission,
        data={"reviewer": reviewer_id, "status": submission.status},
    )
