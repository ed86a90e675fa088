"""Checking and storing attachments (through Django's default storage, so object storage works)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from .. import conf
from ..models import AccessRequest, Attachment, Message
from .common import IntakeError


@dataclass(frozen=True)
class Upload:
    name: str
    content_type: str
    data: bytes


def _kind(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_uploads(files: list[Any], *, already: int = 0) -> list[Upload]:
    """Read and check every file before anything is stored: one bad file refuses them all."""
    limit, size_limit = conf.max_files(), conf.max_file_bytes()
    if len(files) + already > limit:
        raise IntakeError(f"Attach at most {limit} files to a request.")
    allowed = ", ".join(sorted({k for k in conf.ALLOWED_TYPES if k != "jpeg"}))
    checked = []
    for f in files:
        name = str(getattr(f, "name", "") or "").replace("\x00", "")[-200:] or "file"
        kind = _kind(name)
        if kind not in conf.ALLOWED_TYPES:
            raise IntakeError(f"“{name}” is not a file type we accept. Use one of: {allowed}.")
        if (getattr(f, "size", 0) or 0) > size_limit:
            raise IntakeError(f"“{name}” is larger than {size_limit // (1024 * 1024)} MB.")
        data = f.read(size_limit + 1)
        if len(data) > size_limit:
            raise IntakeError(f"“{name}” is larger than {size_limit // (1024 * 1024)} MB.")
        if not data:
            raise IntakeError(f"“{name}” is empty.")
        content_type, starts = conf.ALLOWED_TYPES[kind]
        if not data.startswith(starts):
            raise IntakeError(f"“{name}” is not a real .{kind} file.")
        if kind == "txt" and (b"\x00" in data or not _utf8(data)):
            raise IntakeError(f"“{name}” is not a plain text file.")
        checked.append(Upload(name=name, content_type=content_type, data=data))
    return checked


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def store(request: AccessRequest, uploads: list[Upload], message: Message | None = None) -> None:
    for upload in uploads:
        attachment = Attachment(
            request=request,
            message=message,
            name=upload.name,
            content_type=upload.content_type,
            size=len(upload.data),
        )
        attachment.file.save(upload.name, ContentFile(upload.data), save=False)
        attachment.save()
