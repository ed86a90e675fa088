"""One-time and tracking links: the token goes in the email, only its hash is stored. Pure functions."""

from __future__ import annotations

import hashlib
import re
import secrets

PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")


def new_link() -> tuple[str, str]:
    """(the token to put in the link, the hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_of(token: object) -> str | None:
    """The hash to look up for a well-formed token, else None (junk never reaches the database)."""
    if not isinstance(token, str) or not PATTERN.fullmatch(token):
        return None
    return digest(token)
