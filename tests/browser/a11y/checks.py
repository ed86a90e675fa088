"""Checks run inside a page (their JavaScript is in checks.js): axe-core with the WCAG 2.2 AA
tags, reflow, clipping, target size, text spacing, input purpose and the error summary. Each
returns a list of problems as readable lines (empty: fine).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..conftest import AXE

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
SCRIPT = (Path(__file__).with_name("checks.js")).read_text()

# A finding of one rule on one element may be waived here, never a rule as a whole; each says why.
# Keys: (axe rule id, the CSS selector axe reports for the element).
WAIVED: dict[tuple[str, str], str] = {}

# WCAG 1.4.12's overrides, as a user's style sheet would set them.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


def run(page: Any, check: str, *args: Any) -> Any:
    """Call ``gpvA11y.<check>(*args)`` in the page, loading checks.js first if needed. Evaluated
    through the DevTools protocol, so the page's Content-Security-Policy does not block it."""
    if not page.evaluate("() => !!window.gpvA11y"):
        page.evaluate(SCRIPT)
    return page.evaluate(f"args => window.gpvA11y.{check}(...args)", list(args))


def axe_problems(page: Any) -> list[str]:
    """Every axe violation of the WCAG A/AA rules: the rule, the element and the help link."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    problems = []
    for v in run(page, "axe", WCAG_TAGS):
        for node in v["nodes"]:
            if (v["id"], node["target"]) in WAIVED:
                continue
            where = f"`{node['target']}` {node['html']}"
            problems.append(f"{v['id']} ({v['impact']}): {v['help']} at {where} – {v['helpUrl']}")
    return problems


def form_problems(page: Any) -> list[str]:
    return run(page, "inputPurpose")


def error_summary_problems(page: Any) -> list[str]:
    return run(page, "errorSummary")


def _layout(page: Any, label: str) -> list[str]:
    return [f"{label}: {p}" for p in run(page, "layout")]


def _targets(page: Any, label: str) -> list[str]:
    return [f"{label}: {p}" for p in run(page, "targets")]


def reflow_problems(page: Any, *, full: bool = True) -> list[str]:
    """At 320 CSS px (1280 px at 400% zoom); when ``full``, also at 640 (200%), target sizes at
    320 px and at the page's own width, and with text spacing overridden at each width."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 256})
    problems = _layout(page, "at 320 px")
    if full:
        problems += _targets(page, "at 320 px")
        spacing = page.add_style_tag(content=TEXT_SPACING)
        problems += _layout(page, "with text spacing at 320 px")
        page.set_viewport_size({"width": 640, "height": 512})
        problems += _layout(page, "with text spacing at 640 px")
        spacing.evaluate("el => el.remove()")
        problems += _layout(page, "at 640 px")
    page.set_viewport_size(size)
    if full:
        problems += _targets(page, f"at {size['width']} px")
        spacing = page.add_style_tag(content=TEXT_SPACING)
        problems += _layout(page, f"with text spacing at {size['width']} px")
        spacing.evaluate("el => el.remove()")
    return problems
