"""What every sounding-board service shares: its refusal, the lock and the text check."""

from __future__ import annotations

from typing import Any

from gpvoice.core import text
from gpvoice.core.locking import lock_row

from ..errors import SoundingBoardError
from ..models import Submission

__all__ = ["SoundingBoardError", "clean", "lock_submission"]


def lock_submission(submission: Submission) -> Submission:
    # The submission row serialises every write to the submission, its reviewers and reviews: a
    # withdrawal, an assignment and the last review's return cannot interleave, and status moves
    # are then made by compare-and-swap on the status read under this lock.
    return lock_row(Submission.objects.select_related("group", "organisation"), pk=submission.pk)


def clean(value: Any, *, name: str, limit: int, required: bool = True) -> str:
    return text.clean_text(value, name=name, limit=limit, required=required, refuse=SoundingBoardError)
