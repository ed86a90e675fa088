"""One-click unsubscribe links (RFC 8058): a signed token naming a person, a group and a category.

The token is signed with the site's key (``django.core.signing``) under its own salt, so it cannot
be forged or reused for anything else; it carries no address, and the page it opens says nothing
about who it belongs to or whether they were subscribed. It never signs anyone in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "gpvoice.engagement.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    person_id: int
    group_id: int
    category: str


def token_for(*, person_id: int, group_id: int, category: str) -> str:
    return signing.dumps([person_id, group_id, category], salt=SALT, compress=True)


def read(token: str) -> Unsubscribe | None:
    """The link's meaning, or None for anything not signed by us (forged, altered, truncated)."""
    if not token or len(token) > 500:
        return None
    try:
        person_id, group_id, category = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(person_id, int) and isinstance(group_id, int) and isinstance(category, str)):
        return None
    return Unsubscribe(person_id, group_id, category)


def link(*, person_id: int, group_id: int, category: str) -> str:
    token = token_for(person_id=person_id, group_id=group_id, category=category)
    return settings.SITE_URL + reverse("engagement:unsubscribe", args=[token])


def headers(url: str) -> dict[str, str]:
    """The headers that let a mail client offer one-click unsubscribe (RFC 2369 and RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
