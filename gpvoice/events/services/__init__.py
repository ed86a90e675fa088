"""Every events write: checked, atomic, audited. Refusals say why, for a person.

Locking discipline: every write to a session's places (a booking, a cancellation, a removal, an
offer taken up, declined or lapsed, a change of capacity, attendance) first takes the session row
(``lock_session``), counts under it, keeps ``Session.booked`` in the same transaction and audits
last. The partial unique constraint (one live booking per person per session) and the check
constraint ``booked <= capacity`` stand behind the lock.
"""

from .bookings import (
    attendance_record,
    booking_cancel,
    booking_make,
    booking_remove,
    offer_accept,
    offer_decline,
    offers_lapse,
)
from .checks import EventError, audience_refusal
from .sessions import Details, reminders_send, session_cancel, session_create, session_update

__all__ = [
    "Details",
    "EventError",
    "attendance_record",
    "audience_refusal",
    "booking_cancel",
    "booking_make",
    "booking_remove",
    "offer_accept",
    "offer_decline",
    "offers_lapse",
    "reminders_send",
    "session_cancel",
    "session_create",
    "session_update",
]
