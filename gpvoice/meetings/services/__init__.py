"""Every meetings write: checked, atomic, audited. Refusals say why, for a person.

Locking discipline: every write to a meeting (its invitations, agenda, minutes, decisions, actions
agreed at it, interests declared on its items) first takes the meeting row (``lock_meeting``), so
positions are numbered, the quorum counted and the minutes approved with no write in between.
Calling a meeting takes the group row (the roll is read once). An action's status locks the action.
Unique constraints (one invitation per person, one agenda item per source record, one interest per
person per item, one live calendar address per person) stand behind the locks.
"""

from .agenda import (
    agenda_draft,
    agenda_item_add,
    agenda_item_move,
    agenda_item_note,
    agenda_item_remove,
    agenda_item_time,
)
from .checks import MeetingError
from .feeds import calendar_feed_create, calendar_feed_revoke, token_hash
from .meetings import (
    apologies_send,
    attendance_record,
    meeting_cancel,
    meeting_create,
    meeting_hold,
    meeting_settings_update,
)
from .minutes import (
    StaleMinutes,
    action_create,
    action_status_set,
    ballot_titled,
    decision_record,
    interest_declare,
    minutes_approve,
    minutes_correct,
    minutes_save,
)
from .papers import paper_attach, read_upload

__all__ = [
    "MeetingError",
    "StaleMinutes",
    "ballot_titled",
    "action_create",
    "action_status_set",
    "agenda_draft",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_note",
    "agenda_item_remove",
    "agenda_item_time",
    "apologies_send",
    "attendance_record",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "decision_record",
    "interest_declare",
    "meeting_cancel",
    "meeting_create",
    "meeting_hold",
    "meeting_settings_update",
    "minutes_approve",
    "minutes_correct",
    "minutes_save",
    "paper_attach",
    "read_upload",
    "token_hash",
]
