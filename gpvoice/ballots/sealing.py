"""Keys for secret ballots, held outside the database, and their rotation.

``seal`` finds an elector's current choice while the ballot is open (so a later cast replaces
it) and is erased at close. ``seal_weight`` encrypts an elector's weight with AES-GCM and a random
nonce: the tally can recompute patient-weighted figures, but a reader of the database alone cannot
match a choice to a practice by its list size. (Fernet is not used: its tokens carry a clear-text
timestamp, which would put choices in casting order.)

*Rotation.* ``BALLOT_SEAL_KEY`` is the current key: it seals. Earlier keys, listed in
``BALLOT_SEAL_OLD_KEYS``, still open what they sealed (and the key derived from ``SECRET_KEY``,
the default before a deployment set its own, always does). Each sealed weight starts with the
*key id* of the key that sealed it (a hash of the key, which says nothing about the key), so the
right key is found at once; a seal made before key ids were recorded is tried with every key.
A weight that no configured key opens raises ``SealError`` with a message saying which key id is
missing, never a bare decryption error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

KEY_ID_LENGTH = 16


class SealError(Exception):
    """A sealed weight that cannot be opened with the keys configured; the message says why."""


def _roots() -> list[str]:
    """Every key that may open a seal: the current one first, then the old ones, then the
    default derived from SECRET_KEY. The first is the one that seals."""
    current = getattr(settings, "BALLOT_SEAL_KEY", "") or settings.SECRET_KEY
    old = getattr(settings, "BALLOT_SEAL_OLD_KEYS", []) or []
    if isinstance(old, str):
        old = [k.strip() for k in old.split(",")]
    return list(dict.fromkeys([current, *(k for k in old if k), settings.SECRET_KEY]))


def key_id(root: str) -> str:
    return hashlib.sha256(f"gpvoice.ballots.key-id|{root}".encode()).hexdigest()[:KEY_ID_LENGTH]


def current_key_id() -> str:
    return key_id(_roots()[0])


def _key(purpose: str, root: str) -> bytes:
    return hashlib.sha256(f"gpvoice.ballots.{purpose}|{root}".encode()).digest()


def _seal_with(root: str, ballot_id: int, elector_id: int) -> str:
    message = f"{ballot_id}:{elector_id}".encode()
    return hmac.new(_key("seal", root), message, hashlib.sha256).hexdigest()


def seal(*, ballot_id: int, elector_id: int) -> str:
    """The seal a new cast is stored under: the current key's."""
    return _seal_with(_roots()[0], ballot_id, elector_id)


def seals(*, ballot_id: int, elector_id: int) -> list[str]:
    """This elector's seal under every key that may have made it, so that a cast after a key
    change still replaces the one before it."""
    return [_seal_with(root, ballot_id, elector_id) for root in _roots()]


def _encrypt(purpose: str, plain: bytes, aad: bytes) -> str:
    root = _roots()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(_key(purpose, root)).encrypt(nonce, plain, aad)
    return f"{key_id(root)}:{base64.b64encode(nonce + sealed).decode()}"


def _decrypt(purpose: str, sealed: str, aad: bytes, what: str) -> bytes:
    kid, _, body = sealed.rpartition(":")
    roots = _roots()
    if kid:
        roots = [root for root in roots if key_id(root) == kid]
        if not roots:
            raise SealError(
                f"{what} was sealed with the key whose id is {kid}, and that key is neither "
                "BALLOT_SEAL_KEY nor in BALLOT_SEAL_OLD_KEYS. Add it to BALLOT_SEAL_OLD_KEYS and try again."
            )
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as error:
        raise SealError(f"{what} is damaged and cannot be read.") from error
    for root in roots:
        try:
            return AESGCM(_key(purpose, root)).decrypt(raw[:12], raw[12:], aad)
        except (InvalidTag, ValueError):
            continue
    which = f"the key whose id is {kid}" if kid else "any configured key"
    raise SealError(
        f"{what} cannot be opened with {which}: it was sealed with another key, or it has been "
        "altered. Add the key it was sealed with to BALLOT_SEAL_OLD_KEYS."
    )


def seal_weight(*, ballot_id: int, weight: int) -> str:
    return _encrypt("weight", str(weight).encode(), str(ballot_id).encode())


def open_weight(*, ballot_id: int, sealed: str) -> int:
    what = f"A sealed weight of ballot {ballot_id}"
    plain = _decrypt("weight", sealed, str(ballot_id).encode(), what)
    try:
        return int(plain)
    except ValueError as error:
        raise SealError(f"{what} is damaged and cannot be read.") from error


def seal_receipt(*, ballot_id: int, receipt: str) -> str:
    """A receipt waiting in the session for the page that shows it: sealed, so that the session
    table (which names the user) never holds a readable receipt, even for that moment."""
    return _encrypt("receipt", receipt.encode(), str(ballot_id).encode())


def open_receipt(*, ballot_id: int, sealed: str) -> str | None:
    try:
        return _decrypt("receipt", sealed, str(ballot_id).encode(), "A receipt").decode()
    except (SealError, UnicodeDecodeError):
        return None


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


def normalise_receipt(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def receipt_digest(code: str) -> str:
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()
