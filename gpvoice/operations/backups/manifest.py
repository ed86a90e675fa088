"""The backup file: a magic line, a one-line JSON manifest, then the database's own dump.

    GPVOICE-BACKUP
    {"format": 1, "vendor": "postgresql", "deployment": "…", "payload": {"bytes": …, "sha256": …}, …}
    <pg_dump custom-format archive, or an SQLite database file>

The manifest says which deployment and database made the file and what the data held (row
counts, stored results, coverage), so a restore can refuse the wrong file before touching
anything and check the data after.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

MAGIC = b"GPVOICE-BACKUP\n"
FORMAT = 1
MAX_MANIFEST = 32 * 1024 * 1024  # bytes; a real manifest is a few kilobytes per ballot
CHUNK = 1024 * 1024


class BackupRefused(Exception):
    """The file cannot be restored here; the message says why. Nothing has been changed."""


def deployment_id() -> str:
    """``DEPLOYMENT_ID``, or one derived from SECRET_KEY (never the key itself)."""
    if settings.DEPLOYMENT_ID:
        return str(settings.DEPLOYMENT_ID)
    derived = hmac.new(settings.SECRET_KEY.encode(), b"gpvoice.operations.deployment", hashlib.sha256)
    return "derived-" + derived.hexdigest()[:24]


def write(path: Path, manifest: dict[str, Any], payload: Path) -> None:
    """Write atomically: a half-written file never carries the final name."""
    digest, size = _digest(payload)
    manifest = {**manifest, "payload": {"bytes": size, "sha256": digest}}
    line = json.dumps(manifest, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":")).encode()
    partial = path.with_name(path.name + ".partial")
    # Readable by its owner only: a backup holds every person's data.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, payload.open("rb") as src:
        out.write(MAGIC + line + b"\n")
        while chunk := src.read(CHUNK):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def _digest(path: Path) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def read(path: Path, payload_out: Path) -> dict[str, Any]:
    """Check the file and copy its payload to ``payload_out``; raise BackupRefused on any fault."""
    if not path.is_file():
        raise BackupRefused(f"{path}: no such file.")
    with path.open("rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise BackupRefused(
                f"{path} is not a GP Voice backup (it does not start with the backup header)."
            )
        manifest = _manifest(f, path)
        sha, size = hashlib.sha256(), 0
        with payload_out.open("wb") as out:
            while chunk := f.read(CHUNK):
                sha.update(chunk)
                size += len(chunk)
                out.write(chunk)
    expected = manifest["payload"]
    if size != expected["bytes"]:
        raise BackupRefused(
            f"{path} is truncated or damaged: its data is {size} bytes, the header says {expected['bytes']}."
        )
    if sha.hexdigest() != expected["sha256"]:
        raise BackupRefused(f"{path} is damaged: its checksum does not match the one in its header.")
    return manifest


def _manifest(f: BinaryIO, path: Path) -> dict[str, Any]:
    line = f.readline(MAX_MANIFEST)
    try:
        manifest = json.loads(line)
    except (UnicodeDecodeError, ValueError):
        raise BackupRefused(f"{path} is damaged: its header cannot be read.") from None
    payload = manifest.get("payload") if isinstance(manifest, dict) else None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("bytes"), int)
        or not isinstance(payload.get("sha256"), str)
    ):
        raise BackupRefused(f"{path} is damaged: its header is incomplete.")
    if manifest.get("format") != FORMAT:
        raise BackupRefused(
            f"{path} is in backup format {manifest.get('format')!r}; this version of GP Voice reads {FORMAT}."
        )
    return manifest


def check_belongs_here(manifest: dict[str, Any], *, vendor: str, path: Path) -> None:
    if manifest.get("deployment") != deployment_id():
        raise BackupRefused(
            f"{path} was made by another deployment ({manifest.get('deployment')!r}, this one is "
            f"{deployment_id()!r}). Restore it only where it came from (see DEPLOYMENT_ID)."
        )
    if manifest.get("vendor") != vendor:
        raise BackupRefused(
            f"{path} holds a {manifest.get('vendor')} database; this deployment uses {vendor}."
        )
