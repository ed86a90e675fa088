"""Which files may be a meeting paper, judged by their content, not only their name.

A PDF starts ``%PDF-``; PNG and JPEG have their signatures; Word, Excel and PowerPoint files are
zip containers that must hold the main part of their kind (``word/document.xml`` and so on) and a
``[Content_Types].xml``. A file whose content does not match its extension is refused.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 10_000  # a zip with more parts than this is not an office document we take

SIGNATURES = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
OFFICE = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/workbook.xml"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/presentation.xml",
    ),
}
KINDS = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG or JPEG"


class NotAPaper(Exception):
    """The file cannot be a paper; the message names it and says why."""


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    data: bytes


def _office_part(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()
    return set(names) if len(names) <= MAX_MEMBERS else set()


def check(name: str, data: bytes) -> Checked:
    """The file as a paper, or NotAPaper with a reason fit to show."""
    name = (name or "").replace("\x00", "").strip()[-200:] or "file"
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind not in SIGNATURES and kind not in OFFICE:
        raise NotAPaper(f"“{name}” is not a file type we take for papers. Use {KINDS}.")
    if not data:
        raise NotAPaper(f"“{name}” is empty.")
    if len(data) > MAX_BYTES:
        raise NotAPaper(f"“{name}” is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if kind in SIGNATURES:
        content_type, start = SIGNATURES[kind]
        if not data.startswith(start):
            raise NotAPaper(f"“{name}” is not a real .{kind} file: its content is of another kind.")
        return Checked(name=name, content_type=content_type, data=data)
    content_type, main = OFFICE[kind]
    parts = _office_part(data) if data.startswith(b"PK\x03\x04") else set()
    if main not in parts or "[Content_Types].xml" not in parts:
        raise NotAPaper(f"“{name}” is not a real .{kind} file: its content is of another kind.")
    return Checked(name=name, content_type=content_type, data=data)
