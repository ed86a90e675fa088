"""Server-rendered, accessible SVG for ``glance.Bars`` and ``glance.Heatmap`` (no JavaScript).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` it is labelled by, every value
printed as text beside its bar or inside its cell (colour is never the only cue), and colours from the
NHS identity palette. The page puts the same figures in a table beside each chart (``chart_table``).
"""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

from gpvoice.core.glance import Bars, Heatmap, SmallMultiples, Table

NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
NHS_PALE_GREY = "#e8edee"
NHS_BLACK = "#212b32"
# Heat-map steps from pale to dark blue; the cell's figure is always printed on it.
STEPS = ["#e8edee", "#aecfec", "#5d9dd8", "#005eb8", "#003087"]
_ids = count(1)

LABEL_W, BAR_W, VALUE_W, ROW_H = 220, 300, 120, 28


def _clip(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(title: str, description: str, width: int, height: int) -> tuple[str, list[str]]:
    n = next(_ids)
    tid, did = f"gpv-chart-{n}-title", f"gpv-chart-{n}-desc"
    head = (
        f'<svg class="gpv-chart" xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{tid} {did}" focusable="false">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(description or title)}</desc>'
    )
    return head, []


def _text(
    x: float, y: float, content: str, *, anchor: str = "start", size: int = 14, fill: str = NHS_BLACK
) -> str:
    """An SVG text element; ``content`` must already be escaped."""
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{content}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str, stroke: str = "none") -> str:
    return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{fill}" stroke="{stroke}"/>'


def _share(value: float | None) -> float:
    return 0.0 if value is None else max(0.0, min(1.0, float(value)))


def bars_svg(chart: Bars, *, label_w: int = LABEL_W, bar_w: int = BAR_W, value_w: int = VALUE_W) -> Markup:
    height = max(1, len(chart.bars)) * ROW_H + 8
    head, parts = _open(chart.title, chart.description, label_w + bar_w + value_w, height)
    limit = max(8, label_w // 7)
    for i, (label, share, text) in enumerate(chart.bars):
        y = 4 + i * ROW_H
        width = round(bar_w * _share(share), 1)
        parts += [
            _text(label_w - 8, y + 18, escape(_clip(label, limit)), anchor="end"),
            _rect(label_w, y + 4, bar_w, 18, NHS_PALE_GREY),
            _rect(label_w, y + 4, width, 18, NHS_BLUE),
            _text(label_w + bar_w + 8, y + 18, escape(text)),
        ]
    return Markup(head + "".join(parts) + "</svg>")  # noqa: S704 - every text above is escaped


def step(value: float | None) -> str:
    if value is None:
        return "#ffffff"
    return STEPS[min(len(STEPS) - 1, int(_share(value) * len(STEPS)))]


def cell_text(value: float | None) -> str:
    return "n/a" if value is None else f"{round(_share(value) * 100)}%"


def heatmap_svg(chart: Heatmap) -> Markup:
    cell_w, head_h = 90, 30
    width = LABEL_W + cell_w * max(1, len(chart.columns))
    height = head_h + max(1, len(chart.rows)) * ROW_H + 4
    head, parts = _open(chart.title, chart.description, width, height)
    for j, column in enumerate(chart.columns):
        x = LABEL_W + j * cell_w + cell_w / 2
        parts.append(_text(x, 20, escape(_clip(column, 12)), anchor="middle", size=13))
    for i, (label, values) in enumerate(chart.rows):
        y = head_h + i * ROW_H
        parts.append(_text(LABEL_W - 8, y + 18, escape(_clip(label)), anchor="end"))
        for j, value in enumerate(values):
            x = LABEL_W + j * cell_w
            fill = step(value)
            ink = "#ffffff" if fill in STEPS[3:] else NHS_BLACK
            parts += [
                _rect(x + 1, y + 1, cell_w - 2, ROW_H - 2, fill, NHS_PALE_GREY),
                _text(x + cell_w / 2, y + 18, cell_text(value), anchor="middle", size=13, fill=ink),
            ]
    return Markup(head + "".join(parts) + "</svg>")  # noqa: S704 - every text above is escaped


def small_multiples_html(chart: SmallMultiples) -> Markup:
    """One small chart per panel, side by side as the width allows, each with its own heading."""
    items = "".join(
        f'<li class="gpv-small-multiples__item"><h3 class="nhsuk-heading-xs">{escape(panel.title)}</h3>'
        f"{bars_svg(panel, label_w=130, bar_w=120, value_w=110)}</li>"
        for panel in chart.panels
    )
    return Markup(f'<ul class="gpv-small-multiples">{items}</ul>')  # noqa: S704 - escaped above


def chart_svg(chart: Bars | Heatmap | SmallMultiples | None) -> Markup:
    if chart is None:
        return Markup("")
    if isinstance(chart, SmallMultiples):
        return small_multiples_html(chart)
    return bars_svg(chart) if isinstance(chart, Bars) else heatmap_svg(chart)


def chart_table(chart: Bars | Heatmap | SmallMultiples) -> Table:
    """The chart's figures as a table, shown beside it for screen readers and for checking."""
    if isinstance(chart, SmallMultiples):
        head = [label for label, _, _ in chart.panels[0].bars] if chart.panels else []
        rows = [[panel.title, *(text for _, _, text in panel.bars)] for panel in chart.panels]
        return Table(head=["", *head], rows=rows, caption=chart.title)
    if isinstance(chart, Bars):
        return Table(
            head=["", "Value"], rows=[[label, text] for label, _, text in chart.bars], caption=chart.title
        )
    return Table(
        head=["", *chart.columns],
        rows=[[label, *(cell_text(v) for v in values)] for label, values in chart.rows],
        caption=chart.title,
    )
