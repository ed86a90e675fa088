"""Every priority-setting write: checked, atomic, audited. Refusals say why, for a person.

Locking discipline: every write to a round (its phase, nominations, candidates, adoptions) first
takes the round row (``lock_row``), so a nomination and the move to consolidation never
interleave, two officers merging at once queue, and the adoption limit is counted under the
lock. A delivery update locks its priority row, whose status it sets. Unique constraints (one
phase change per phase, one adoption per candidate, one title per round) stand behind the locks.

The scoring ballot is made only through the ballot services: this module never writes ballot
rows itself.
"""

from .adoption import delivery_update_post, priority_adopt
from .checks import NOMINATIONS_PER_PERSON, REVIEW_WITHIN, PriorityError
from .nominations import candidate_update, nomination_make, nominations_each_own, nominations_merge
from .rounds import round_advance, round_create, scoring_draft

__all__ = [
    "NOMINATIONS_PER_PERSON",
    "REVIEW_WITHIN",
    "PriorityError",
    "candidate_update",
    "delivery_update_post",
    "nomination_make",
    "nominations_each_own",
    "nominations_merge",
    "priority_adopt",
    "round_advance",
    "round_create",
    "scoring_draft",
]
