"""Making and reading token strings. Pure functions: no database."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

PATTERN = re.compile(r"gpv_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")


def new_token() -> tuple[str, str, str]:
    """(the token to show once, its prefix, the hash to store)."""
    prefix = secrets.token_hex(6)
    token = f"gpv_{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_prefix(token: str) -> str | None:
    """The prefix of a well-formed token, else None (so junk never reaches the database)."""
    match = PATTERN.fullmatch(token)
    return match.group(1) if match else None


def matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(digest(token), stored_hash)
