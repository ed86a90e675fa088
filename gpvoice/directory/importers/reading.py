"""Reading uploaded files safely: size, encoding, binary content, line endings, line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

MAX_BYTES = 100 * 1024 * 1024  # a national epraccur is ~3 MB; anything this size is not one
csv.field_size_limit(64 * 1024)


class FileRejected(Exception):
    """The file as a whole cannot be read; the message says why, for a person."""


def read_text(source: Path | bytes) -> str:
    data = read_bytes(source)
    if not data.strip():
        raise FileRejected("The file is empty.")
    if b"\x00" in data[:65536]:
        raise FileRejected("This is not a CSV text file (it contains binary data).")
    try:
        text = data.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRejected(f"Line {line}: the file is not UTF-8 text.") from None
    return text


def read_bytes(source: Path | bytes) -> bytes:
    """The file's bytes, refusing before reading anything larger than MAX_BYTES."""
    if isinstance(source, bytes):
        return source
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise FileRejected(
            f"The file is {size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB."
        )
    return source.read_bytes()


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each non-blank row; CRLF and LF both work."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                yield reader.line_num, [cell.strip() for cell in row]
    except csv.Error as error:
        raise FileRejected(f"Line {reader.line_num}: the file is not valid CSV ({error}).") from None


def normalise_header(value: str) -> str:
    """Header and sheet names compared ignoring case, spaces, underscores and line breaks."""
    return "".join(ch for ch in value.lower() if ch.isalnum())
