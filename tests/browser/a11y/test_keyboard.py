"""The main journeys with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows, typing; no
mouse): every control reachable in document order, the focus always visible and never covered,
no trap, the skip link working; and the sign-in code can be pasted (3.3.8)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from ..conftest import LAUNCH_ARGS  # noqa: F401 - the browser comes from the shared fixture
from .conftest import PERSONAS, SLUG
from .keyboard import check_tab_order, focus, from_the_top, tab_to

pytestmark = pytest.mark.browser


def _code() -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", str(mail.outbox[-1].body), re.MULTILINE)
    assert match, "no login code in the email"
    return match.group(1)


def test_sign_in_with_a_code_by_keyboard_pasting_the_code(site):
    context = site.browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{site.url}/accounts/login/code/")
        assert check_tab_order(page) == []
        from_the_top(page)
        page.keyboard.press("Tab")
        assert focus(page)["name"].startswith("a Skip to main content"), "the skip link comes first"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('main')"), (
            "the skip link leads into the main content"
        )
        email = page.evaluate("document.activeElement.getAttribute('autocomplete')")
        assert page.evaluate("document.activeElement.type") == "email" and email == "email"
        page.keyboard.type(PERSONAS["signatory"][0])
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/accounts/login/code/confirm/"))
        assert check_tab_order(page) == []

        # No puzzle to solve (3.3.8): no CAPTCHA, no frame from elsewhere; the code can be pasted.
        assert page.locator("iframe, [class*=captcha i], [id*=captcha i]").count() == 0
        page.evaluate("code => navigator.clipboard.writeText(code)", _code())
        state = tab_to(page, "input[name=code]")
        assert page.evaluate("document.activeElement.getAttribute('autocomplete')") == "one-time-code", state
        page.keyboard.press("Control+V")
        assert page.evaluate("document.activeElement.value") == _code(), "pasting the code is allowed"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_url(f"{site.url}/g/{SLUG}/")
        assert page.get_by_role("heading", level=1).inner_text() == site.ids["group"].name
        assert check_tab_order(page) == []
    finally:
        context.close()


def _vote_page(site, method):
    page = site.page("signatory")
    page.goto(f"{site.url}/g/{SLUG}/ballots/{site.ids['open_ballots'][method]}/vote/")
    assert check_tab_order(page) == []
    from_the_top(page)
    if page.locator("input[name=practice][type=radio]").count():  # a signatory of several practices picks one
        tab_to(page, "input[name=practice]")
        page.keyboard.press("Space")
    return page


def _cast(page, site, method):
    from gpvoice.ballots.models import Vote

    tab_to(page, "button:not([name=abstain])")
    assert focus(page)["name"].endswith("Cast vote")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ballots/\d+/$"))
    vote = Vote.objects.get(
        ballot_id=site.ids["open_ballots"][method], is_current=True, cast_by__email=PERSONAS["signatory"][0]
    )
    assert check_tab_order(page) == []
    return vote.content


@pytest.mark.parametrize("method", ["yes_no", "single"])
def test_vote_by_radio_with_arrow_keys(site, method):
    page = _vote_page(site, method)
    tab_to(page, "input[name=choice]")
    page.keyboard.press("ArrowDown")  # moves to, and chooses, the second option
    chosen = page.evaluate("document.activeElement.value")
    assert page.evaluate("document.activeElement.checked")
    assert _cast(page, site, method) == {"choice": chosen}


def test_approval_vote_with_space(site):
    page = _vote_page(site, "approval")
    tab_to(page, "input[name=approved]")
    page.keyboard.press("Space")
    first = page.evaluate("document.activeElement.value")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    third = page.evaluate("document.activeElement.value")
    assert sorted(_cast(page, site, "approval")["approved"]) == sorted([first, third])


@pytest.mark.parametrize("method", ["schulze", "irv"])
def test_ranking_by_keyboard_without_drag_and_drop(site, method):
    """Ranking is a list of selects (a number per option), so no dragging is needed (2.5.7)."""
    page = _vote_page(site, method)
    assert page.locator("[draggable=true]").count() == 0
    order = []
    for rank in ("2", "1", "3"):
        tab_to(page, "select[name^=rank-]")
        page.keyboard.press(rank)  # typing a number picks that rank, as with any select
        assert page.evaluate("document.activeElement.value") == rank
        order.append((rank, page.evaluate("document.activeElement.name").removeprefix("rank-")))
    assert _cast(page, site, method)["ranking"] == [option for _, option in sorted(order)]


def test_points_vote_by_typing(site):
    page = _vote_page(site, "points")
    given = {}
    for points in ("60", "40", "0"):
        tab_to(page, "input[name^=points-]")
        page.keyboard.type(points)
        given[page.evaluate("document.activeElement.name").removeprefix("points-")] = int(points)
    cast = _cast(page, site, "points")["points"]
    assert {k: v for k, v in cast.items() if v} == {k: v for k, v in given.items() if v}


def test_ratify_the_mandate_by_keyboard(site):
    from gpvoice.governance.models import MandateAnswer

    page = site.page("signatory")
    page.goto(f"{site.url}/g/{SLUG}/mandate/")
    assert check_tab_order(page) == []
    from_the_top(page)
    tab_to(page, "select[name=answer]")
    page.keyboard.press("d")  # Decline
    practice = page.evaluate("document.activeElement.id").removeprefix("answer-")
    tab_to(page, "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    answer = MandateAnswer.objects.get(is_current=True, practice__ods_code=practice)
    assert answer.answer == "decline"
    assert check_tab_order(page) == []


def test_nominate_by_keyboard_after_following_the_error_summary(site):
    from gpvoice.priorities.models import Nomination, Phase

    round = site.ids["group"].priority_rounds.get(phase=Phase.NOMINATIONS)
    page = site.page("core")
    page.goto(f"{site.url}/g/{SLUG}/priorities/{round.pk}/")
    assert check_tab_order(page) == []
    from_the_top(page)
    tab_to(page, "form:has(input[name=title]) button")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sent empty: refused
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert check_tab_order(page) == []
    from_the_top(page)
    tab_to(page, ".nhsuk-error-summary a")
    page.keyboard.press("Enter")  # the summary's first link puts the focus in the field to fix
    assert page.evaluate("document.activeElement.name") == "title"
    page.keyboard.type("Keeping practice nurses")
    tab_to(page, "textarea[name=rationale]")
    page.keyboard.type("Nurses are leaving for the hospitals.")
    tab_to(page, "form:has(input[name=title]) button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Nomination.objects.filter(round=round, title="Keeping practice nurses").exists()


def test_the_checks_notice_a_focus_that_cannot_be_seen_or_is_covered(site):
    """The keyboard checks would catch the faults they look for (so their passing means something)."""
    page = site.page("core")
    page.goto(f"{site.url}/g/{SLUG}/")
    page.add_style_tag(
        content="a, a:focus, button, button:focus { outline: none !important; box-shadow: none !important;"
        " background: none !important; color: #000 !important; text-decoration: none !important;"
        " border-color: #000 !important; }"
    )
    assert any(p.startswith("focus cannot be seen") for p in check_tab_order(page))
    page.reload()
    page.evaluate(
        """() => { const bar = document.createElement("div");
        bar.style.cssText = "position: fixed; inset: 0; background: #fff; z-index: 99";
        document.body.append(bar); }"""
    )
    assert any(p.startswith("focus is hidden or covered") for p in check_tab_order(page))
