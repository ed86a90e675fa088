"""Status moves by compare-and-swap, for services that already hold the submission's lock.

Kept outside ``services/``: a step of the audited services that call it, not a service of its own.
"""

from __future__ import annotations

from typing import Any

from .errors import SoundingBoardError
from .models import Submission


def move(submission: Submission, *, frm: tuple[str, ...], to: str, **fields: Any) -> None:
    """Compare-and-swap on the status: refused when another writer moved it first."""
    moved = Submission.objects.filter(pk=submission.pk, status__in=frm).update(status=to, **fields)
    if moved != 1:
        raise SoundingBoardError(
            "Someone else has just changed this submission. Reload the page and try again."
        )
    submission.status = to
    for name, value in fields.items():
        setattr(submission, name, value)
