"""Submitting a plan in confidence, withdrawing it, and the submitter reading its reviews."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.directory.models import Organisation
from gpvoice.meetings import papers

from .. import selectors
from ..models import OPEN, TEXT_MAX, TITLE_MAX, Document, Perspective, Status, Submission
from ..transitions import move
from .common import SoundingBoardError, clean, lock_submission


def read_uploads(uploads: Iterable[Any]) -> list[tuple[str, bytes]]:
    """Each upload's name and at most one byte more than the limit (so an oversized file is known)."""
    return [(str(getattr(u, "name", "") or ""), u.read(papers.MAX_BYTES + 1)) for u in uploads]


def _checked(files: list[tuple[str, bytes]]) -> list[papers.Checked]:
    """Every file checked by its content (as meeting papers are) before anything is stored."""
    limit = settings.SOUNDINGBOARD_MAX_FILES
    if len(files) > limit:
        raise SoundingBoardError(f"Attach at most {limit} documents to a plan.")
    try:
        return [papers.check(name, data) for name, data in files]
    except papers.NotAPaper as refusal:
        raise SoundingBoardError(str(refusal)) from refusal


def _perspectives(chosen: Iterable[str]) -> list[str]:
    wanted = set(chosen)
    if not wanted or not wanted <= set(Perspective.values):
        raise SoundingBoardError("Choose the perspectives you want: funder, commissioner or regulator.")
    return [p for p in Perspective.values if p in wanted]


def _require_signatory(group: Any, organisation: Organisation, actor: Any) -> None:
    rules.require_member(group, actor, refuse=SoundingBoardError)
    allowed = {o.pk for o in selectors.submitting_organisations(group=group, user=actor)}
    if organisation.pk not in allowed:
        raise SoundingBoardError(
            "Only a signatory of a practice or PCN of the group can submit a plan for it."
        )


@transaction.atomic
def submission_create(
    *,
    group: Any,
    organisation: Organisation,
    title: Any,
    plan: Any,
    perspectives: Iterable[str],
    files: list[tuple[str, bytes]],
    actor: Any,
) -> Submission:
    _require_signatory(group, organisation, actor)
    submission = Submission(
        group=group,
        organisation=organisation,
        title=clean(title, name="Title", limit=TITLE_MAX),
        plan=clean(plan, name="Plan", limit=TEXT_MAX),
        perspectives=_perspectives(perspectives),
        submitted_by=actor,
    )
    checked = _checked(files)
    submission.save()
    for item in checked:
        document = Document(
            submission=submission, name=item.name, content_type=item.content_type, size=len(item.data)
        )
        document.file.save(item.name, ContentFile(item.data), save=False)
        document.save()
    # The audit entry names the organisation and the counts, never the plan's title or content.
    audit.record(
        action="soundingboard.submission.submitted",
        actor=actor,
        group=group,
        obj=submission,
        data={
            "organisation": organisation.ods_code,
            "documents": len(checked),
            "perspectives": submission.perspectives,
        },
    )
    return submission


def _require_submitter(submission: Submission, actor: Any) -> None:
    rules.require_member(submission.group, actor, refuse=SoundingBoardError)
    if not selectors.is_signatory_of(submission=submission, user=actor):
        raise SoundingBoardError(f"Only a signatory of {submission.organisation.name} can do that.")


@transaction.atomic
def submission_withdraw(*, submission: Submission, actor: Any) -> Submission:
    """Withdrawn before its reviews are all back: reviewers lose the plan at once."""
    submission = lock_submission(submission)
    _require_submitter(submission, actor)
    if submission.status not in OPEN:
        raise SoundingBoardError("The reviews are back, so the plan can no longer be withdrawn.")
    now = timezone.now()
    move(submission, frm=OPEN, to=Status.WITHDRAWN, closed_at=now)
    audit.record(
        action="soundingboard.submission.withdrawn", actor=actor, group=submission.group, obj=submission
    )
    return submission


@transaction.atomic
def review_read(*, submission: Submission, actor: Any) -> Submission:
    """A signatory says the practice has read the reviews: once, whoever of its signatories is first."""
    submission = lock_submission(submission)
    _require_submitter(submission, actor)
    if submission.status == Status.READ:
        raise SoundingBoardError("The reviews were already marked as read.")
    if submission.status != Status.RETURNED:
        raise SoundingBoardError("There is no returned review to read yet.")
    move(submission, frm=(Status.RETURNED,), to=Status.READ, read_at=timezone.now(), read_by=actor)
    audit.record(action="soundingboard.review.read", actor=actor, group=submission.group, obj=submission)
    return submission
