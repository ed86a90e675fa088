"""Reads for notifications: one person's preferences (the defaults when they never chose)."""

from __future__ import annotations

from typing import Any

from .models import Preferences


def preferences_of(*, user: Any) -> Preferences:
    """The user's preferences, or the defaults *unsaved*: a read never writes."""
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)
