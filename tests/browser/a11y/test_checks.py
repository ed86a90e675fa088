"""The checks themselves catch the faults they look for, so that a clean walk means something.
Each fault is put into a real page of the service, then the check must name it."""

from __future__ import annotations

import pytest

from .checks import axe_problems, error_summary_problems, form_problems, reflow_problems, run

pytestmark = pytest.mark.browser


@pytest.fixture
def page(site):
    page = site.page(None)
    page.goto(f"{site.url}/accessibility")
    return page


def _add(page, html: str) -> None:
    page.evaluate("html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", html)


def test_axe_names_the_rule_the_element_and_the_help_link(page):
    assert axe_problems(page) == []
    _add(page, '<img id="no-alt" src="/assets/images/favicon.ico">')
    [problem] = axe_problems(page)
    assert problem.startswith("image-alt (critical)") and "#no-alt" in problem
    assert "https://dequeuniversity.com/rules/axe/" in problem


def test_reflow_catches_sideways_scrolling_and_cut_off_text(page):
    assert reflow_problems(page) == []
    _add(page, '<p style="width: 500px">A fixed width</p>')
    _add(page, '<div style="overflow: hidden; height: 10px">Two lines<br>of text</div>')
    problems = reflow_problems(page)
    assert any("at 320 px: page scrolls sideways" in p for p in problems)
    assert any("text is cut off" in p for p in problems)


def test_a_scroll_box_the_keyboard_cannot_reach_is_reported(page):
    _add(page, '<div style="overflow-x: auto"><p style="width: 900px">Wide</p></div>')
    assert any("cannot be reached by keyboard" in p for p in reflow_problems(page, full=False))


def test_small_targets_close_together_are_reported_and_spaced_ones_are_not(page):
    _add(page, '<p><button style="width: 16px; height: 16px; padding: 0; margin: 40px">a</button></p>')
    assert run(page, "targets") == []
    _add(page, '<p><button style="width: 16px; height: 16px; padding: 0">b</button><button>c</button></p>')
    assert any(p.startswith("target 16x16 px is too small") for p in run(page, "targets"))


def test_error_summary_links_must_lead_to_fields(page):
    _add(
        page,
        '<div class="nhsuk-error-summary"><ul><li><a href="#nowhere">Enter your email address</a></li>'
        '<li><a href="#here">x</a></li></ul></div><input id="here" name="here">'
        '<span class="nhsuk-error-message" id="loose">Loose</span>',
    )
    problems = error_summary_problems(page)
    assert any("leads to #nowhere" in p for p in problems)
    assert any('"x" does not say how to fix it' in p for p in problems)
    assert any('"Loose" is not tied to a field' in p for p in problems)


def test_inputs_without_their_purpose_or_asking_twice_are_reported(page):
    _add(
        page,
        '<form><input type="email" name="email"><input type="email" name="email2" autocomplete="email">'
        '<input name="code"></form>',
    )
    problems = form_problems(page)
    assert 'input email should have autocomplete="email", has ""' in problems
    assert 'input code should have autocomplete="one-time-code", has ""' in problems
    assert "a form asks for an email address 2 times" in problems
    assert "input email2 asks again for something already given" in problems
