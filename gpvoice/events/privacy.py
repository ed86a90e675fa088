"""Session records that name a person or a user (core.personal_data)."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import Booking, Session

pd.register(
    Session,
    find=pd.by(user=["created_by"]),
    export=("group", "title", "kind", "starts_at", "created_at"),
    erase=pd.keep,
    erasure="Kept (a record of the group's sessions), pointing at the pseudonymised user.",
)
pd.register(
    Booking,
    find=pd.by(person=["person"], user=["user"]),
    export=("session", "status", "position", "created_at", "booked_at", "ended_at", "attended"),
    erase=pd.keep,
    erasure=(
        "Kept (places and attendance are counted from them), pointing at the pseudonymised person and "
        "user; the emails sent about them are erased with the outbox."
    ),
)
