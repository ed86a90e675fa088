"""NHS.UK components written out in Python where the macro's cost shows on a page.

The NHS.UK summary list calls a row macro, and that an attributes macro per key and value: about
half a millisecond a row. ``plain_summary_list`` writes the same markup for the plain case every
page here uses (rows of a key and a value, as text or HTML, nothing else) and says None for any
other shape, which ``components/summary_list.jinja`` hands to the NHS.UK macro.
``core/tests/test_summary_list_markup.py`` checks the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

ROW = Markup(
    '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">{}</dt>'
    '<dd class="nhsuk-summary-list__value">{}</dd></div>'
)
LIST = Markup('<dl class="nhsuk-summary-list">{}</dl>')


def _cell(cell: Any) -> Markup | None:
    """A key or value as the row macro shows it: HTML as given, text escaped, both trimmed; None
    for a shape the plain list does not take (a mapping with classes, an id, a width…)."""
    if cell is None:
        return Markup("")
    if isinstance(cell, Markup):
        return Markup(cell.strip())  # noqa: S704 - already markup
    if isinstance(cell, str):
        return escape(cell.strip())
    if isinstance(cell, Mapping):
        if set(cell) - {"text", "html"}:
            return None
        if cell.get("html"):
            return Markup(str(cell["html"]).strip())  # noqa: S704 - "html" is trusted, as the macro's `| safe`
        return escape(str(cell["text"]).strip()) if cell.get("text") else Markup("")
    return None


def plain_summary_list(params: Any) -> Markup | None:
    if not isinstance(params, Mapping) or set(params) - {"rows"}:
        return None
    rows = [
        row for row in params.get("rows") or [] if isinstance(row, Mapping)
    ]  # the macro's select("mapping")
    shown = []
    for row in rows:
        if set(row) - {"key", "value"}:
            return None
        key, value = _cell(row.get("key")), _cell(row.get("value"))
        if key is None or value is None:
            return None
        shown.append(ROW.format(key, value))
    return LIST.format(Markup("").join(shown))
