"""Sounding-board writes: each checks, changes and audits, in that order, in one transaction."""

from .common import SoundingBoardError
from .retention import submission_expire, submissions_expire
from .reviews import ConflictsFound, review_return, reviewer_assign, reviewer_remove
from .submissions import read_uploads, review_read, submission_create, submission_withdraw

__all__ = [
    "ConflictsFound",
    "SoundingBoardError",
    "read_uploads",
    "review_read",
    "review_return",
    "reviewer_assign",
    "reviewer_remove",
    "submission_create",
    "submission_expire",
    "submission_withdraw",
    "submissions_expire",
]
