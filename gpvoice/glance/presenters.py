"""Sections as the NHS.UK macros want them, and as JSON and CSV rows."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from markupsafe import Markup

from gpvoice.core.glance import Section, Table

from .charts import chart_svg, chart_table


def _table(table: Table | None) -> dict[str, Any] | None:
    if table is None:
        return None
    return {
        "caption": table.caption,
        "head": [{"text": h} for h in table.head],
        "rows": [[{"text": cell} for cell in row] for row in table.rows],
    }


def section_view(section: Section) -> dict[str, Any]:
    """What a template shows of one section: a summary list, a table, a chart with its table."""
    return {
        "key": section.key,
        "id": f"section-{section.key}",
        "title": section.title,
        "summary": [{"key": {"text": label}, "value": {"text": value}} for label, value in section.summary],
        "table": _table(section.table),
        "chart": chart_svg(section.chart) if section.chart else Markup(""),
        "chart_table": _table(chart_table(section.chart)) if section.chart else None,
        "href": section.href,
        "href_text": section.href_text or "How this was worked out",
    }


def section_json(section: Section) -> dict[str, Any]:
    """The machine-readable form: the figures, their data and the link to how they were worked out."""
    found = asdict(section)
    found.pop("chart")
    found["summary"] = [{"label": label, "value": value} for label, value in section.summary]
    return found


def section_csv_rows(section: Section) -> list[list[str]]:
    """One practice record's section as CSV rows: section, then label/value or the table's rows."""
    rows = [[section.title, label, value] for label, value in section.summary]
    if section.table is not None:
        rows.append([section.title, *section.table.head])
        rows.extend([section.title, *row] for row in section.table.rows)
    return rows
