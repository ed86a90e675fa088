"""Representation records that name a person or a user (core.personal_data)."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import Briefing, BriefingItem, Forum, Position, ReportBack, SeatAppointment

KEPT = "Kept (a record of who represented general practice), pointing at the pseudonymised person or user."

pd.register(
    SeatAppointment,
    find=pd.by(person=["person"], user=["appointed_by"]),
    export=(
        "seat",
        "holder",
        "starts_on",
        "term_ends_on",
        "name_public",
        "findings",
        "proceed_reason",
        "ended_at",
    ),
    erase=pd.replace(name_public=False),
    erasure="Kept as a record of the seat, pointing at the pseudonymised person; no longer named publicly.",
)
pd.register(
    Briefing,
    find=pd.by(person=["person"]),
    export=("meeting", "text", "sent_at", "read_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    ReportBack,
    find=pd.by(person=["person"], user=["filed_by"]),
    export=(
        "meeting",
        "attended",
        "discussed",
        "decisions",
        "asks",
        "positions_held",
        "held_notes",
        "filed_at",
    ),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    BriefingItem,
    find=pd.by(user=["added_by"]),
    export=("meeting", "kind", "text", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    Position,
    find=pd.by(user=["created_by"]),
    export=("topic", "statement", "agreed_on", "status", "created_at"),
    erase=pd.keep,
    erasure="Kept (the group's agreed position), pointing at the pseudonymised user who recorded it.",
)
pd.declare_none(Forum, reason="A forum's name is a system meeting's, not a person's.")
