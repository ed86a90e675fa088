"""Meeting records that name a person or a user (core.personal_data)."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import (
    Action,
    AgendaItem,
    CalendarFeed,
    Invitation,
    ItemInterest,
    ItemMinutes,
    Meeting,
    MeetingDecision,
    MeetingSettings,
    MinutesCorrection,
    Paper,
)

KEPT = "Kept (a record of the group's meetings), pointing at the pseudonymised person or user."

pd.register(
    Meeting,
    find=pd.by(person=["chair"], user=["created_by"]),
    export=("group", "title", "body", "starts_at", "status", "chair"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    Invitation,
    find=pd.by(person=["person"]),
    export=("meeting", "status", "apologies_at", "attended"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    ItemMinutes,
    find=pd.by(user=["updated_by"]),
    export=("item", "version", "updated_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    MinutesCorrection,
    find=pd.by(user=["created_by"]),
    export=("minutes", "reason", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    MeetingDecision,
    find=pd.by(user=["created_by"]),
    export=("item", "text", "quorate", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    Action,
    find=pd.by(person=["owner"], user=["created_by"]),
    export=("item", "description", "due_on", "status", "created_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.register(
    ItemInterest,
    find=pd.by(person=["person"], user=["created_by"]),
    export=("item", "nature", "withdrew", "created_at"),
    erase=pd.keep,
    erasure="Kept (a conflict-of-interest record of the meeting), pointing at the pseudonymised person.",
)
pd.register(
    CalendarFeed,
    find=pd.by(user=["user"]),
    export=("created_at", "revoked_at"),
    erase=pd.delete,
    erasure="Deleted: a private calendar address is no use once the person is erased.",
)
pd.register(
    Paper,
    find=pd.by(user=["uploaded_by"]),
    export=("item", "name", "size", "uploaded_at"),
    erase=pd.keep,
    erasure=KEPT,
)
pd.declare_none(AgendaItem, reason="An agenda item names a topic; who spoke is in the minutes and interests.")
pd.declare_none(MeetingSettings, reason="The group's quorum and reading rules.")
