"""Notifications' personal data (core.personal_data): a person's choices of email."""

from __future__ import annotations

from gpvoice.core import personal_data as pd

from .models import Notice, Preferences

pd.register(
    Preferences,
    find=pd.by(user=["user"]),
    export=("reminders", "results", "nominations", "updated_at"),
    erase=pd.delete,
    erasure="Deleted: the defaults apply again.",
)
pd.declare_none(Notice, reason="which events were announced and to how many; the emails are in the outbox")
