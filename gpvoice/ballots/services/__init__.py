"""Every ballot write: checked, atomic, audited. Refusals say why, for a person.

Locking discipline: every write to a ballot's electorate, casts or status takes the ballot row
first (``lock_row``), so a cast and a close never interleave, and two casts for one elector
queue. Unique constraints (one current vote per elector, one sealed choice per seal, one
participation per elector) stand behind the lock. Status changes made by the clock are
compare-and-swap under that lock, so two workers cannot both open or close a ballot.
"""

from .casting import CastReceipt, ballot_cast, electors_for
from .clock import advance, advance_due, advance_due_in, compute_result
from .corrections import ballot_cancel, ballot_extend
from .drafting import (
    YES_NO_OPTIONS,
    Draft,
    ballot_create,
    ballot_publish,
    ballot_schedule,
    ballot_unschedule,
    ballot_update,
)
from .hands import show_of_hands_record
from .refusals import BallotError

__all__ = [
    "YES_NO_OPTIONS",
    "BallotError",
    "CastReceipt",
    "Draft",
    "advance",
    "advance_due",
    "advance_due_in",
    "ballot_cancel",
    "ballot_cast",
    "ballot_create",
    "ballot_extend",
    "ballot_publish",
    "ballot_schedule",
    "ballot_unschedule",
    "ballot_update",
    "compute_result",
    "electors_for",
    "show_of_hands_record",
]
