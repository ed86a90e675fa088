"""Text a person typed, checked once for every app: fit to store and show, or refused with a reason."""

from __future__ import annotations

from typing import Any


def clean_text(
    value: Any,
    *,
    name: str,
    limit: int,
    refuse: type[Exception],
    enter: str = "",
    not_text: str = "",
    required: bool = True,
) -> str:
    """A string without NUL bytes, stripped, not blank when ``required``, at most ``limit`` long.

    ``refuse(message)`` is raised otherwise, so each app keeps the error its pages already show;
    ``enter`` is the request for a missing value (default: "Enter <name>."), ``not_text`` the
    refusal of a value that is not text at all (default: the same)."""
    ask = enter + "." if enter else f"Enter {name.lower()}."
    if value is not None and not isinstance(value, str):
        raise refuse(not_text or ask)
    text = (value or "").strip()
    if "\x00" in text:
        raise refuse(f"{name} contains a character that cannot be stored. Remove it and try again.")
    if required and not text:
        raise refuse(ask)
    if len(text) > limit:
        raise refuse(f"{name} must be {limit:,} characters or fewer; it has {len(text):,}.")
    return text
