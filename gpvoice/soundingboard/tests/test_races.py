"""Writers racing on one plan: threads released together, on SQLite and on PostgreSQL.

The submission row is locked first by every write, then the status moves by compare-and-swap, so
two signatories, two reviewers or two officers at once never leave a state no serial order gives.
"""

from __future__ import annotations

import pytest

from gpvoice.core.models import AuditEntry
from gpvoice.core.tests.threads import run_together
from gpvoice.soundingboard import services
from gpvoice.soundingboard.models import Assignment, Review, Status, Submission

from .conftest import ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_signatories_marking_read_at_once_record_it_once(assigned, reviewer, signatory, second_signatory):
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    calls = [
        (lambda who=who: services.review_read(submission=assigned, actor=who))
        for who in [signatory, second_signatory] * 2
    ]
    assert run_together(calls, refusals=(services.SoundingBoardError,)) == []
    assert Submission.objects.get().status == Status.READ
    assert AuditEntry.objects.filter(action="soundingboard.review.read").count() == 1


def test_the_last_two_reviews_returned_at_once_close_the_plan_once(
    assigned, officer, reviewer, second_reviewer
):
    services.reviewer_assign(
        submission=assigned, email=second_reviewer.email, override_reason="", actor=officer
    )
    calls = [
        (lambda who=who: services.review_return(submission=assigned, answers=ANSWERS, actor=who))
        for who in [reviewer, second_reviewer, reviewer, second_reviewer]
    ]
    assert run_together(calls, refusals=(services.SoundingBoardError,)) == []
    submission = Submission.objects.get()
    assert submission.status == Status.RETURNED and submission.returned_at is not None
    assert Review.objects.count() == 2
    assert not Assignment.objects.filter(returned_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="soundingboard.review.returned").count() == 2


def test_a_withdrawal_racing_a_return_leaves_one_or_the_other(
    assigned, reviewer, signatory, second_signatory
):
    calls = [
        lambda: services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer),
        lambda: services.submission_withdraw(submission=assigned, actor=signatory),
        lambda: services.submission_withdraw(submission=assigned, actor=second_signatory),
    ]
    assert run_together(calls, refusals=(services.SoundingBoardError,)) == []
    submission = Submission.objects.get()
    reviews = Review.objects.count()
    withdrawals = AuditEntry.objects.filter(action="soundingboard.submission.withdrawn").count()
    assert (submission.status, reviews, withdrawals) in {(Status.WITHDRAWN, 0, 1), (Status.RETURNED, 1, 0)}


def test_two_officers_assigning_one_reviewer_at_once_assign_once(submit, officer, personas, reviewer):
    from gpvoice.core.models import Role

    submission = submit()
    calls = [
        (
            lambda who=who: services.reviewer_assign(
                submission=submission, email=reviewer.email, override_reason="", actor=who
            )
        )
        for who in [officer, personas[Role.EXECUTIVE]] * 2
    ]
    assert run_together(calls, refusals=(services.SoundingBoardError,)) == []
    assert Assignment.objects.count() == 1
    assert Submission.objects.get().status == Status.IN_REVIEW
    assert AuditEntry.objects.filter(action="soundingboard.reviewer.assigned").count() == 1


def test_two_signatories_submitting_at_once_make_two_whole_plans(submit, signatory, second_signatory):
    from gpvoice.soundingboard.models import Document

    calls = [
        (lambda who=who, n=n: submit(actor=who, title=f"Plan {n}"))
        for n, who in enumerate([signatory, second_signatory] * 2)
    ]
    assert run_together(calls) == []
    assert Submission.objects.count() == 4 and Document.objects.count() == 4
    assert sorted(Submission.objects.values_list("title", flat=True)) == [
        "Plan 0",
        "Plan 1",
        "Plan 2",
        "Plan 3",
    ]
    assert AuditEntry.objects.filter(action="soundingboard.submission.submitted").count() == 4
