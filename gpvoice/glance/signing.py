"""Signed statements of a group's mandate, with a key per group derived from ``SECRET_KEY`` (ADR 14).

The statement is canonical JSON (keys sorted, no spaces, UTF-8) signed with Ed25519. Anyone holding the
group's public key (shown on its public page and inside the statement) can check it later, with this
service's verification page, ``gpvoice verify_statement``, or OpenSSL alone.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from gpvoice.core.models import LeadershipGroup

KIND = "gpvoice.mandate-statement/1"
ALGORITHM = "Ed25519"
CANONICAL = "JSON, keys sorted, separators ',' and ':', UTF-8"


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _private_key(group_id: int, secret: str) -> Ed25519PrivateKey:
    # HKDF turns the deployment's secret into one independent 32-byte seed per group: a group's key
    # says nothing about another's, and nothing secret is stored in the database (ADR 14).
    seed = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"gpvoice glance signing",
        info=f"group:{group_id}:v1".encode(),
    ).derive(secret.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class PublicKey:
    raw: bytes

    @property
    def b64(self) -> str:
        return base64.b64encode(self.raw).decode()

    @property
    def id(self) -> str:
        return key_id(self.raw)

    @property
    def pem(self) -> str:
        key = Ed25519PublicKey.from_public_bytes(self.raw)
        return key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


def public_key(group: LeadershipGroup) -> PublicKey:
    return PublicKey(_raw(_private_key(group.pk, settings.SECRET_KEY).public_key()))


def known_keys(group: LeadershipGroup) -> list[PublicKey]:
    """The current key and those of ``SECRET_KEY_FALLBACKS``: statements signed before a secret was
    rotated still verify while the old secret is kept as a fallback."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [PublicKey(_raw(_private_key(group.pk, s).public_key())) for s in secrets]


def sign(group: LeadershipGroup, payload: dict[str, Any]) -> dict[str, Any]:
    """The signed statement: ``payload`` (with the key's id and public half added) and its signature."""
    key = _private_key(group.pk, settings.SECRET_KEY)
    pub = PublicKey(_raw(key.public_key()))
    statement = {**payload, "kind": KIND, "public_key": pub.b64, "key_id": pub.id}
    signature = key.sign(canonical(statement))
    return {
        "statement": statement,
        "signature": base64.b64encode(signature).decode(),
        "algorithm": ALGORITHM,
        "canonical_form": CANONICAL,
    }


class Unverified(Exception):
    """Why a statement does not check out, in words for the page."""


def verify(document: Any, keys: list[PublicKey]) -> dict[str, Any]:
    """The statement inside ``document`` when its signature is good under one of ``keys``."""
    if not isinstance(document, dict):
        raise Unverified("That is not a signed statement: paste the whole JSON document.")
    statement, signature = document.get("statement"), document.get("signature")
    if not isinstance(statement, dict) or not isinstance(signature, str):
        raise Unverified("The document has no “statement” object and “signature” text.")
    if statement.get("kind") != KIND:
        raise Unverified("This is not a GP Voice mandate statement.")
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except ValueError as error:
        raise Unverified("The signature is not valid base64.") from error
    message = canonical(statement)
    for key in keys:
        try:
            Ed25519PublicKey.from_public_bytes(key.raw).verify(raw_signature, message)
        except InvalidSignature:
            continue
        if statement.get("public_key") != key.b64:
            raise Unverified("The statement names a different key from the one that signed it.")
        return statement
    raise Unverified(
        "The signature does not match this group's key: the statement was changed or is not this group's."
    )
