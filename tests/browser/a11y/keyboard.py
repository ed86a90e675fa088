"""Driving a page with the keyboard alone, and checking where the focus goes and that it shows."""

from __future__ import annotations

from typing import Any

from .checks import run


def from_the_top(page: Any) -> None:
    run(page, "fromTheTop")


def focus(page: Any) -> dict[str, Any] | None:
    return run(page, "focus")


def check_tab_order(page: Any) -> list[str]:
    """Tab from the top to the end and back with Shift+Tab: every control is reached once, in
    document order, with a visible focus that nothing covers, and the focus leaves the page at
    the end (no trap). Returns the problems found."""
    count = run(page, "numberTabbable")
    from_the_top(page)
    problems, forward = [], []
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        state = focus(page)
        if state is None or (forward and state["kb"] == forward[0]):
            break
        forward.append(state["kb"])
        if not state["visible"]:
            problems.append(f"focus cannot be seen on {state['name']}")
        if not state["shown"]:
            problems.append(f"focus is hidden or covered on {state['name']}")
    if forward != list(range(count)):
        problems.append(f"Tab visits {forward}, expected each of {count} controls in document order")
    if count:  # and back from the last control to the first
        page.evaluate("n => document.querySelector(`[data-kb='${n}']`).focus()", count - 1)
        backward = [count - 1]
        for _ in range(count + 2):
            page.keyboard.press("Shift+Tab")
            state = focus(page)
            if state is None or state["kb"] is None or state["kb"] >= backward[-1]:
                break
            backward.append(state["kb"])
        if backward != list(range(count - 1, -1, -1)):
            problems.append(f"Shift+Tab visits {backward}, expected the reverse of the Tab order")
    return problems


def tab_to(page: Any, selector: str, limit: int = 80) -> dict[str, Any]:
    """Press Tab until the focused element matches the CSS ``selector``; its focus must show."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            state = focus(page)
            assert state and state["visible"], f"focus cannot be seen on {selector}"
            assert state["shown"], f"focus is hidden or covered on {selector}"
            return state
    raise AssertionError(f"Tab never reached {selector}")
