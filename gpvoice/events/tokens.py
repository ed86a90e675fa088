"""Signed links: a place offered from the waiting list, and a session's "anyone with the link" page.

Both are ``django.core.signing`` values (the same link each time it is made) under their own
salt, so a link cannot be forged or moved from one kind to the other. An offer's link names the
booking *and* the moment it was offered, so a link from an earlier offer that lapsed is refused
even if the person is offered again.
"""

from __future__ import annotations

from django.core import signing

from .models import Booking, Session

OFFER_SALT = "gpvoice.events.offer"
LINK_SALT = "gpvoice.events.link"


def offer_token(booking: Booking) -> str:
    stamp = booking.offered_at.isoformat() if booking.offered_at else ""
    return signing.Signer(salt=OFFER_SALT).sign_object({"b": booking.pk, "at": stamp}, compress=True)


def read_offer(token: str) -> tuple[int, str] | None:
    """(booking id, when offered) from a genuine offer link; None for anything else."""
    try:
        value = signing.Signer(salt=OFFER_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("b"), int)
        or not isinstance(value.get("at"), str)
    ):
        return None
    return value["b"], value["at"]


def session_token(session: Session) -> str:
    return signing.Signer(salt=LINK_SALT).sign_object(session.pk)


def read_session(token: str) -> int | None:
    try:
        value = signing.Signer(salt=LINK_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
