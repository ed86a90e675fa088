"""Every representation write: checked, atomic, audited. Refusals say why, for a person.

Locking discipline: a seat's appointments are changed under the seat row (``lock_seat``), a
forum's seats and meeting dates under the forum row, a forum meeting's briefing and report-back
under the meeting row. Unique constraints stand behind the locks (one live representative and one
live deputy per seat, one report-back and one briefing per meeting, one meeting a day per forum).
Scheduled sends claim each email by compare-and-swap or by the outbox's key, so each goes once.
"""

from .briefings import briefing_item_add, briefing_read, briefing_send, briefings_send_due
from .checks import ConflictsFound, RepresentationError
from .forums import (
    forum_create,
    forum_meeting_add,
    forum_meeting_cancel,
    forum_update,
    seat_add,
    seat_appoint,
    seat_vacate,
)
from .positions import position_create, position_update
from .reports import report_back_file, report_back_note, report_backs_chase

__all__ = [
    "ConflictsFound",
    "RepresentationError",
    "briefing_item_add",
    "briefing_read",
    "briefing_send",
    "briefings_send_due",
    "forum_create",
    "forum_meeting_add",
    "forum_meeting_cancel",
    "forum_update",
    "position_create",
    "position_update",
    "report_back_file",
    "report_back_note",
    "report_backs_chase",
    "seat_add",
    "seat_appoint",
    "seat_vacate",
]
