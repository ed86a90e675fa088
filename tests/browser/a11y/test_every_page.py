"""Every route of the URL configuration, opened in Chromium as the role that may see it, with its
parameters filled from the demo workspace, and checked for WCAG 2.2 AA: axe-core's A and AA rules,
reflow at 320 and 640 CSS px (400% and 200% zoom of 1280 px), target size, text spacing; then each
form on the page is sent empty and the page with errors is checked again.

A new route is walked without anyone listing it. A route that cannot be opened as a page must be
in NOT_A_PAGE or UNREACHABLE with the reason; a route listed there that does open fails the test,
so the lists stay true.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import get_resolver

from gpvoice.core.permissions import PUBLIC, SIGNED_IN

from ...test_authorisation import _walk
from .checks import axe_problems, error_summary_problems, form_problems, reflow_problems, run

pytestmark = pytest.mark.browser

ROUTES = [route for route, _ in _walk(get_resolver().url_patterns)]
CALLBACKS = dict(_walk(get_resolver().url_patterns))

# Routes that answer with something other than a page for people.
NOT_A_PAGE = {
    "health": "JSON for load balancers",
    "accounts/2fa/recovery-codes/download/": "a text file of recovery codes",
    "admin/jsi18n/": "JavaScript for the admin",
    "admin/autocomplete/": "JSON for the admin's autocomplete widgets",
    "admin/r/<path:content_type_id>/<path:object_id>/": "a redirect to an object's own page",
    "admin/(?P<url>.*)$": "the admin's catch-all, which only redirects or answers 404",
    **{
        route: "the JSON API, walked from its schema by gpvoice/api/tests/test_schema.py"
        for route in ROUTES
        if route.startswith("api/v1/") and route != "api/v1/docs"
    },
    "g/<slug:slug>/requests/<str:reference>/files/<int:file_id>/": "an attached file, downloaded",
    "spa/track/<str:token>/files/<int:file_id>/": "an attached file, downloaded",
    "accounts/logout/": "a signed-in GET asks to confirm signing out; scanning it would sign the persona out",
    "g/<slug:slug>/meetings/calendar.ics": "an iCalendar file, downloaded",
    "g/<slug:slug>/meetings/<int:meeting_id>/papers/<int:paper_id>/": "a meeting paper, downloaded",
    "g/<slug:slug>/meetings/<int:meeting_id>/pack.pdf": "the meeting pack as a PDF, downloaded",
    "g/<slug:slug>/sounding-board/<int:submission_id>/documents/<int:document_id>/": "a document, downloaded",
    "g/<slug:slug>/annual-report/pdf/": "the annual report as a PDF, downloaded",
    "g/<slug:slug>/practice-record/csv/": "a practice's record as a CSV file, downloaded",
    "meetings/calendar/<str:token>.ics": "an iCalendar feed for calendar apps",
    "account/declarations/": "takes the account page's renew and end buttons (POST); a GET goes back there",
    **dict.fromkeys(
        (
            "g/<slug:slug>/ballots/<int:ballot_id>/result/csv/",
            "g/<slug:slug>/roll/csv/",
            "g/<slug:slug>/mandate/csv/",
            "g/<slug:slug>/decisions/csv/",
            "g/<slug:slug>/directory/practices/csv/",
            "g/<slug:slug>/sessions/<int:session_id>/bookings.csv",
            "g/<slug:slug>/representation/coverage.csv",
            "g/<slug:slug>/representation/positions.csv",
            "g/<slug:slug>/consultations/<int:consultation_id>/responses.csv",
            "g/<slug:slug>/engagement/thin.csv",
        ),
        "a CSV file, downloaded (its cells are tested in the app's export tests)",
    ),
}
# Pages people do see but that this walk cannot open; each says why and where it is covered.
UNREACHABLE = {
    "accounts/login/code/confirm/": "only reached inside a sign-in (covered by the keyboard journey)",
    "accounts/2fa/authenticate/": "only reached inside a password sign-in, between password and code",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "needs a key from an email; invitations give the address",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "needs a reset key from an email",
    "accounts/reauthenticate/code/confirm/": "only reached inside a re-authentication by code",
    "accounts/reauthenticate/code/": "officers re-authenticate by password, not by code",
    "accounts/password/set/": "only for an account with no password; officers have one",
    "accounts/2fa/totp/activate/": "only before an authenticator app is set up; the demo officers have one",
    "accounts/2fa/totp/deactivate/": "asks to re-authenticate first (that page is scanned)",
    "accounts/2fa/recovery-codes/generate/": "asks to re-authenticate first (that page is scanned)",
}
# The Django admin back office, for platform staff, is Django's own interface, not GP Voice's
# pages: not yet covered, as the accessibility statement says.
NOT_YET_COVERED = {
    route: "the Django admin back office (platform staff only): not yet checked, see the statement"
    for route in ROUTES
    if route.startswith("admin/")
}
# Forms that rightly accept being sent empty (a redirect, not an error), with the reason.
ACCEPTS_EMPTY = {
    "g/<slug:slug>/mandate/": "the answer list starts at Agree: sent as it is, it records that",
    "g/<slug:slug>/people/<int:membership_id>/": "the role list holds the current role: sent, it keeps it",
    "accounts/email/": "allauth's address list: with none chosen it changes nothing",
    "account/notifications/": "no box ticked is a choice: it turns every optional email off",
    "g/<slug:slug>/meetings/<int:meeting_id>/": "an action's status list holds its status: it keeps it",
    "g/<slug:slug>/meetings/<int:meeting_id>/agenda/": "an item's time may be cleared: then it has none",
    "g/<slug:slug>/meetings/<int:meeting_id>/minutes/": "draft minutes may be cleared: saved empty",
    "g/<slug:slug>/meetings/<int:meeting_id>/manage/": "attendance with no one ticked: no one came",
    "g/<slug:slug>/sessions/<int:session_id>/bookings/": "attendance with no one ticked: no one came",
    "g/<slug:slug>/public-page/": "the yes/no choice holds the current setting: sent as it is, it keeps it",
    "g/<slug:slug>/public-page/named/": "the yes/no choice holds the person's current choice: it keeps it",
}

PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _urls(route: str, ids: dict[str, Any]) -> list[str]:
    """The route with its parameters filled, once for each demo value the parameters have."""
    names = sorted({a or b for a, b in PARAM.findall(route)} - {"slug"})
    key = "+".join(names)
    samples = [{}] if not names else ids.get(key)
    if samples is None and route in UNREACHABLE:
        return []
    assert samples is not None, f"{route}: add demo values for {key} to tests/browser/a11y/conftest.py"
    urls = []
    for sample in samples:
        values = {"slug": ids["slug"][0], **(sample if isinstance(sample, dict) else {names[0]: sample})}
        path = route.lstrip("^").rstrip("$")
        path = PARAM.sub(lambda m, values=values: str(values[m.group(1) or m.group(2)]), path)
        urls.append("/" + path)
    return urls


def _personas(route: str) -> list[str | None]:
    access = getattr(CALLBACKS[route], "access", None)
    if access == PUBLIC:
        return [None]
    if access == SIGNED_IN:
        return ["both"]
    if access is None:  # allauth's pages: as a visitor, else as a strongly signed-in officer
        return [None, "admin"]
    _, roles = access
    return ["admin"] if {r.value for r in roles} <= {"admin", "executive"} else ["admin", "signatory"]


def _form_signatures(page: Any, seen: set[str]) -> list[int]:
    """Indexes of POST forms with fields a person fills in, one per set of fields not yet seen."""
    fresh = {fields: i for i, fields in reversed(run(page, "formSignatures")) if fields not in seen}
    seen.update(fresh)
    return sorted(fresh.values())


def _check_forms(site: Any, url: str, route: str, seen: set[str], page: Any) -> list[str]:
    """Send each kind of form empty: it must come back with an error summary that leads to the
    fields, and pass the scan again; a form that accepts being empty must say why in ACCEPTS_EMPTY."""
    problems, accepted = [], []
    for index in _form_signatures(page, seen):
        site.report.forms_sent_empty += 1
        page.goto(url)
        with page.expect_navigation() as sent:
            run(page, "emptyForm", index)
        if sent.value.request.redirected_from is not None:
            accepted.append(f"form {index} accepted empty")
            continue
        status = sent.value.status
        label = f"form {index} sent empty"
        if status != 200:
            problems.append(f"{label}: answered {status}")
        problems += [f"{label}: {p}" for p in error_summary_problems(page)]
        problems += [f"{label}: {p}" for p in axe_problems(page)]
    if accepted and route not in ACCEPTS_EMPTY:
        problems += [f"{a}: say why in ACCEPTS_EMPTY, or refuse it with an error summary" for a in accepted]
    return problems


def _same_page(asked: str, landed: str, base: str) -> bool:
    return landed.split("?")[0].split("#")[0] == base + asked


@pytest.mark.parametrize("route", ROUTES, ids=ROUTES)
def test_every_page_meets_wcag_22_aa(site, route):
    site.report.routes_total = len(ROUTES)
    site.report.routes_walked.add(route)
    if route in NOT_YET_COVERED:
        site.report.unreachable["admin/*"] = NOT_YET_COVERED[route]
        pytest.skip(NOT_YET_COVERED[route])
    if route in NOT_A_PAGE:
        site.report.unreachable[route] = NOT_A_PAGE[route]
        pytest.skip(f"not a page: {NOT_A_PAGE[route]}")
    reached, problems = False, []
    forms_seen: set[str] = set()  # each kind of form is sent empty once per route
    laid_out: set[str | None] = set()  # the full layout checks: once per route and persona
    for url in _urls(route, site.ids):
        for persona in _personas(route):
            page = site.page(persona)
            response = page.goto(site.url + url)
            if not _same_page(url, page.url, site.url):
                continue  # redirected (sign-in needed, or a stage this persona is not at)
            reached = True
            found = [f"{response.status}: {p}" if response.status >= 400 else p for p in axe_problems(page)]
            found += form_problems(page)
            found += reflow_problems(page, full=persona not in laid_out)
            laid_out.add(persona)
            found += _check_forms(site, site.url + url, route, forms_seen, page)
            site.report.add(url, persona or "visitor", found)
            problems += [f"{url} as {persona or 'visitor'}: {p}" for p in found]
    if route in UNREACHABLE:
        site.report.unreachable[route] = UNREACHABLE[route]
        assert not reached, f"{route} opens now: take it out of UNREACHABLE and let the walk check it"
        pytest.skip(f"cannot be opened here: {UNREACHABLE[route]}")
    assert reached, (
        f"{route} redirected every persona away: fill its parameters or add it to UNREACHABLE with why"
    )
    assert problems == [], "\n".join(problems)
