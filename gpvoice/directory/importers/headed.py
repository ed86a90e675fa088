"""Shared reading for NHS CSV files that have a header row (columns read by name)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from . import fields as f
from .engine import ParsedFile
from .reading import FileRejected, csv_rows


def headed_rows(
    text: str, required: tuple[str, ...], parsed: ParsedFile
) -> Iterator[tuple[int, dict[str, str]]]:
    rows = csv_rows(text)
    first = next(rows, None)
    if first is None:
        raise FileRejected("The file is empty.")
    line, header = first
    names = [h.strip().upper() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        if len(missing) == len(required):
            raise FileRejected(
                f"Line {line}: expected a header row naming the columns ({', '.join(required[:4])} …); "
                "this file has none, or is a different file."
            )
        raise FileRejected(f"Line {line}: the header has no column {', '.join(missing)}.")
    for line, row in rows:
        parsed.rows += 1
        if len(row) != len(names):
            parsed.problems.add(line, f"has {len(row)} columns; the header has {len(names)}.")
            continue
        yield line, dict(zip(names, row, strict=True))


def guarded(parsed: ParsedFile, line: int, parse_row: Callable[..., None], *args: Any) -> bool:
    """Parse one row; a BadValue becomes a problem on that line instead of stopping the file."""
    try:
        parse_row(*args)
    except f.BadValue as error:
        parsed.problems.add(line, str(error))
        return False
    return True
