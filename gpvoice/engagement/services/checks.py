"""Checks shared by the engagement services: who may act, and text a person typed."""

from __future__ import annotations

from typing import Any

from gpvoice.core.models import OFFICER_ROLES, LeadershipGroup, Membership


class ConsultationError(Exception):
    """A consultation write refused; the message says why, for the person."""


def is_officer(group: LeadershipGroup, actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return Membership.objects.filter(group=group, user=actor, role__in=OFFICER_ROLES).exists()


def require_officer(group: LeadershipGroup, actor: Any, error: type[Exception] = ConsultationError) -> None:
    if not is_officer(group, actor):
        raise error("Only the group's officers can do this.")


def clean_text(
    value: str, name: str, limit: int, *, required: bool = False, error: type[Exception] = ConsultationError
) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise error(f"Remove the NUL character from the {name}.")
    if required and not text:
        raise error(f"Enter the {name}.")
    if len(text) > limit:
        raise error(f"Keep the {name} to {limit:,} characters or fewer.")
    return text
