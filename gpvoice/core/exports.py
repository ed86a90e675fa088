"""CSV exports of every list, streamed, with cells a spreadsheet shows as text (no formulas)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from itertools import chain
from typing import Any

from django.http import StreamingHttpResponse


def csv_safe(value: object) -> str:
    """A cell a spreadsheet shows as text: formulas (= + - @, and tab/CR tricks) are neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(name: str, header: list[str], rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    """``name``.csv, streamed row by row, every cell through ``csv_safe``."""
    writer = csv.writer(_Echo())
    # chain, not [header, *rows]: the rows are read one by one as the response streams, never
    # gathered into a list first.
    lines = (writer.writerow([csv_safe(c) for c in row]) for row in chain([header], rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
