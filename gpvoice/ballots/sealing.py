"""Keys for secret ballots, held outside the database.

``seal`` finds an elector's current choice while the ballot is open (so a later cast replaces
it) and is erased at close. ``seal_weight`` encrypts an elector's weight with AES-GCM and a random
nonce: the tally can recompute patient-weighted figures, but a reader of the database alone cannot
match a choice to a practice by its list size. (Fernet is not used: its tokens carry a clear-text
timestamp, which would put choices in casting order.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


def _key(purpose: str) -> bytes:
    root = getattr(settings, "BALLOT_SEAL_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(f"gpvoice.ballots.{purpose}|{root}".encode()).digest()


def seal(*, ballot_id: int, elector_id: int) -> str:
    message = f"{ballot_id}:{elector_id}".encode()
    return hmac.new(_key("seal"), message, hashlib.sha256).hexdigest()


def seal_weight(*, ballot_id: int, weight: int) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key("weight")).encrypt(nonce, str(weight).encode(), str(ballot_id).encode())
    return base64.b64encode(nonce + sealed).decode()


def open_weight(*, ballot_id: int, sealed: str) -> int:
    raw = base64.b64decode(sealed)
    return int(AESGCM(_key("weight")).decrypt(raw[:12], raw[12:], str(ballot_id).encode()))


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


def normalise_receipt(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def receipt_digest(code: str) -> str:
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()
