"""Sounding-board records that name a user (core.personal_data), and the retention of plans."""

from __future__ import annotations

from datetime import datetime

from gpvoice.core import personal_data as pd

from .models import Assignment, Document, Review, Submission

pd.register(
    Submission,
    find=pd.by(user=["submitted_by", "read_by"]),
    export=("group", "organisation", "status", "submitted_at", "returned_at", "read_at"),
    erase=pd.keep,
    erasure=(
        "Kept until the sounding board's retention period ends (the organisation's plan, not the "
        "person's), pointing at the pseudonymised user; then deleted."
    ),
)
pd.register(
    Assignment,
    find=pd.by(user=["reviewer", "assigned_by"]),
    export=("submission", "conflicts", "override_reason", "assigned_at", "returned_at", "access_ends_at"),
    erase=pd.keep,
    erasure="Kept (who reviewed what, and the conflicts found) until the plan's retention period ends.",
)
pd.register(
    Review,
    find=pd.by(user=["assignment__reviewer"]),
    export=("assignment", "returned_at"),
    erase=pd.keep,
    erasure="Kept (the review belongs to the plan's organisation) until the plan's retention period ends.",
)
pd.declare_none(Document, reason="A file of an organisation's plan; who submitted it is on the submission.")


def _expire(now: datetime) -> int:
    from .services import submissions_expire

    return submissions_expire(now=now)


pd.register_retention(
    name="sounding board submissions",
    setting="RETENTION_SOUNDINGBOARD_DAYS",
    apply=_expire,
    description=(
        "a plan, its documents, reviewers and reviews, this long after its reviews were returned or it "
        "was withdrawn; an audit entry (reference, organisation, dates) is kept"
    ),
)
