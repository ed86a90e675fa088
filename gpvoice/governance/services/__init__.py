"""Every governance write: checked (core.rules, under the lock), atomic, audited.

Refusals say why, for a person. ``actor=None`` is the system (see core.rules).
"""

from .common import GovernanceError, OutsidePowers
from .delegation import (
    category_create,
    category_review_done,
    category_update,
    check_powers,
    executive_decision_note,
    executive_decision_record,
    executive_decision_refer,
)
from .mandate import mandate_answer, mandate_extend, mandate_open, terms_create, terms_issue, terms_update
from .roll import roll_add, roll_end
from .rules_settings import governance_settings_update

__all__ = [
    "GovernanceError",
    "OutsidePowers",
    "category_create",
    "category_review_done",
    "category_update",
    "check_powers",
    "executive_decision_note",
    "executive_decision_record",
    "executive_decision_refer",
    "governance_settings_update",
    "mandate_answer",
    "mandate_extend",
    "mandate_open",
    "roll_add",
    "roll_end",
    "terms_create",
    "terms_issue",
    "terms_update",
]
