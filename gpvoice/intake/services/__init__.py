"""Every write of the single point of access."""

from .answers import (
    basis_of,
    request_answer,
    request_decide,
    request_mark_nominee,
    request_put_to_ballot,
    request_refer,
)
from .common import IntakeError
from .submission import (
    RateLimited,
    can_reply,
    request_submit,
    request_submit_by_token,
    request_verify,
    requester_reply,
    tracking_usable,
)
from .triage import (
    category_create,
    request_close,
    request_decline,
    request_merge,
    request_start,
    request_triage,
    request_write,
    tracking_revoke,
)

__all__ = [
    "IntakeError",
    "RateLimited",
    "basis_of",
    "can_reply",
    "category_create",
    "request_answer",
    "request_close",
    "request_decide",
    "request_decline",
    "request_mark_nominee",
    "request_merge",
    "request_put_to_ballot",
    "request_refer",
    "request_start",
    "request_submit",
    "request_submit_by_token",
    "request_triage",
    "request_verify",
    "request_write",
    "requester_reply",
    "tracking_revoke",
    "tracking_usable",
]
