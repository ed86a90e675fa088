"""One demo workspace and one live server for every accessibility test in this package.

The demo is loaded once (about 2 s) when the first test here asks for ``site`` and the database is
emptied again when the package is done, so tests elsewhere never see it. Tests here do not take
pytest-django's ``live_server`` (it would empty the database after every test); they share a
server thread of their own. Signing in is done by handing the browser a session cookie made on
the server side, as the ``strong_login`` fixture does for officers, so that each page costs one
navigation; the keyboard journeys sign in through the real pages instead.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from ..conftest import AXE

PERSONAS = {
    # persona name: (demo email, strong sign-in?)
    "admin": ("admin@northvale.example.nhs.uk", True),
    "core": ("core@northvale.example.nhs.uk", False),
    "signatory": ("practice.staff@northvale.example.nhs.uk", False),
    "both": ("member.both@example.nhs.uk", False),  # in two groups, so the home page lists them
}
SLUG = "northvale"


@dataclass
class Report:
    """What the scans found, written as JSON for the accessibility statement to cite."""

    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    unreachable: dict[str, str] = field(default_factory=dict)
    routes_walked: set[str] = field(default_factory=set)
    routes_total: int = 0
    forms_sent_empty: int = 0

    def add(self, url: str, persona: str, problems: list[str], kind: str = "page") -> None:
        entry = self.pages.setdefault(f"{url} as {persona}", {"kind": kind, "problems": []})
        entry["problems"].extend(problems)

    def write(self, path: Path, *, versions: dict[str, str]) -> None:
        from django.utils import timezone

        path.parent.mkdir(parents=True, exist_ok=True)
        problems = [p for entry in self.pages.values() for p in entry["problems"]]
        path.write_text(
            json.dumps(
                {
                    "tested_at": timezone.now().isoformat(timespec="seconds"),
                    "standard": "WCAG 2.2 AA",
                    "method": (
                        "axe-core with the wcag2a, wcag2aa, wcag21aa and wcag22aa rules on every route "
                        "of the URL configuration, signed in as the role that may see it, and on each "
                        "form submitted empty; reflow at 320 and 640 CSS px; target sizes; text "
                        "spacing; keyboard-only journeys"
                    ),
                    "tools": versions,
                    "routes_walked": len(self.routes_walked),
                    "routes_total": self.routes_total,
                    "pages_scanned": len(self.pages),
                    "forms_sent_empty": self.forms_sent_empty,
                    "violations": len(problems),
                    "problems": problems,
                    "not_scanned": self.unreachable,
                },
                indent=2,
            )
            + "\n"
        )


@dataclass
class Site:
    url: str
    browser: Any
    ids: dict[str, Any]
    cookies: dict[str, str]
    report: Report
    _contexts: dict[str, Any] = field(default_factory=dict)

    def context(self, persona: str | None) -> Any:
        """A browser context signed in as ``persona`` (None: anonymous), kept for the package."""
        key = persona or "anonymous"
        if key not in self._contexts:
            # bypass_csp only so that axe can be injected; the journeys check the real policy.
            context = self.browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
            if persona:
                context.add_cookies(
                    [{"name": self.cookies["name"], "value": self.cookies[persona], "url": self.url}]
                )
            self._contexts[key] = context
        return self._contexts[key]

    def page(self, persona: str | None) -> Any:
        context = self.context(persona)
        return context.pages[0] if context.pages else context.new_page()


def _session_cookie(email: str, *, strong: bool) -> str:
    from django.conf import settings
    from django.test import Client

    from gpvoice.accounts.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    if strong:  # as if by password + TOTP, as the root conftest's strong_login does
        session = client.session
        session["account_authentication_methods_user"] = str(user.pk)
        session["account_authentication_methods"] = [
            {"method": "password", "at": 0, "email": user.email},
            {"method": "mfa", "at": 0, "type": "totp"},
        ]
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _open_ballots(group: Any) -> dict[str, int]:
    """An open ballot of each method the demo only has closed, for the signatory to vote in."""
    from django.utils import timezone

    from gpvoice.accounts.models import User
    from gpvoice.ballots import services

    admin = User.objects.get(email=PERSONAS["admin"][0])
    now = timezone.now()
    ids = {}
    for method in ("yes_no", "single", "approval", "schulze", "irv", "points"):
        draft = services.Draft(
            title=f"Keyboard test: {method}",
            question="Which of these should the group take forward?",
            method=method,
            electorate="practices",
            options=[] if method == "yes_no" else ["Workforce", "Estates", "Digital"],
            points_allowance=100 if method == "points" else None,
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(days=7),
        )
        ballot = services.ballot_create(group=group, draft=draft, actor=admin)
        ids[method] = services.advance(ballot=services.ballot_schedule(ballot=ballot, actor=admin)).pk
    draft = services.Draft(title="A draft ballot", question="Agree?", method="yes_no", electorate="practices")
    ids["draft"] = services.ballot_create(group=group, draft=draft, actor=admin).pk
    return ids


def _demo_ids() -> dict[str, Any]:
    """Values for every URL parameter, taken from the demo (several where pages differ by state)."""
    from gpvoice.accounts.services import invitation_create
    from gpvoice.ballots.models import Ballot
    from gpvoice.core.models import LeadershipGroup, Membership
    from gpvoice.directory.models import Appointment, FootprintEntry, Organisation, OrgType
    from gpvoice.directory.selectors import footprint_practices
    from gpvoice.engagement.models import Bulletin, Consultation
    from gpvoice.governance.models import DecisionCategory, TermsOfReference
    from gpvoice.intake.models import AccessRequest
    from gpvoice.meetings.models import Meeting, MeetingStatus
    from gpvoice.priorities.models import AdoptedPriority, PriorityRound
    from gpvoice.soundingboard.models import Submission

    group = LeadershipGroup.objects.get(slug=SLUG)
    open_ballots = _open_ballots(group)
    practice = footprint_practices(group=group).exclude(pcn=None).order_by("ods_code").first()
    signatory = Appointment.objects.filter(organisation=practice, is_signatory=True).first()
    admin = Membership.objects.get(group=group, user__email=PERSONAS["admin"][0]).user
    _, token = invitation_create(
        group=group, email="invited@nhs.test", role="core", invited_by=admin, base_url="http://testserver/"
    )
    return {
        "group": group,
        "open_ballots": open_ballots,
        "slug": [SLUG],
        "membership_id": [
            Membership.objects.get(group=group, user__email="observer@northvale.example.nhs.uk").pk
        ],
        "practice_code": [practice.ods_code],
        "pcn_code": [practice.pcn.ods_code],
        "org_id": [Organisation.objects.filter(org_type=OrgType.ICB).first().pk],
        "person_id": [signatory.person_id],
        "terms_id": list(TermsOfReference.objects.filter(group=group).values_list("pk", flat=True)),
        "ballot_id": list(Ballot.objects.filter(group=group).order_by("pk").values_list("pk", flat=True)),
        "round_id": list(PriorityRound.objects.filter(group=group).values_list("pk", flat=True)),
        "priority_id+round_id": [
            {"round_id": p.round_id, "priority_id": p.pk}
            for p in AdoptedPriority.objects.filter(round__group=group)[:1]
        ],
        "token": [token, "no-such-token"],
        # The next meeting (agenda drafted), the last held (minutes in draft), an earlier one
        # (minutes approved) and the cancelled one.
        "meeting_id": [
            Meeting.objects.filter(group=group, status=MeetingStatus.PLANNED).latest("starts_at").pk,
            *Meeting.objects.filter(group=group, status=MeetingStatus.HELD)
            .order_by("-starts_at")
            .values_list("pk", flat=True)[:2],
            Meeting.objects.filter(group=group, status=MeetingStatus.CANCELLED).first().pk,
        ],
        "category_id": list(DecisionCategory.objects.filter(group=group).values_list("pk", flat=True)[:2]),
        # The finished relationship check (results published) and the open sustainability outlook.
        "consultation_id": list(
            Consultation.objects.filter(group=group).order_by("pk").values_list("pk", flat=True)
        ),
        "bulletin_id": list(
            Bulletin.objects.filter(group=group).order_by("-sent_at").values_list("pk", flat=True)[:1]
        ),
        "entry_id": list(FootprintEntry.objects.filter(group=group).values_list("pk", flat=True)[:1]),
        # The demo's plans (one with its review returned, one in review): the signatory reads both.
        "submission_id": list(
            Submission.objects.filter(group=group).order_by("pk").values_list("pk", flat=True)
        ),
        # The think tank with a waiting list, the full retirement session, the leaders' evening held.
        "session_id": list(group.sessions.order_by("starts_at").values_list("pk", flat=True)),
        "reference": list(
            AccessRequest.objects.filter(group=group, reference__gt="").values_list("reference", flat=True)[
                :3
            ]
        ),
        **_representation_ids(group),
    }


def _representation_ids(group: Any) -> dict[str, list[int]]:
    """A forum, its seat, its next meeting (briefed), a reported and an overdue meeting, a position."""
    from django.utils import timezone

    from gpvoice.representation.models import Forum, ForumMeeting, Position, Seat

    forum = Forum.objects.filter(group=group).order_by("pk").first()
    meetings = ForumMeeting.objects.filter(forum__group=group, cancelled=False)
    today = timezone.localdate()
    return {
        "forum_id": [forum.pk],
        "seat_id": [Seat.objects.filter(forum=forum).order_by("pk").first().pk],
        "forum_meeting_id": [
            meetings.filter(forum=forum, on__gte=today).order_by("on").first().pk,
            meetings.filter(report__isnull=False).order_by("-on").first().pk,
            meetings.filter(report__isnull=True, report_due_on__lt=today).first().pk,
        ],
        "position_id": list(
            Position.objects.filter(group=group).order_by("pk").values_list("pk", flat=True)[:2]
        ),
    }


def _versions(browser: Any) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        playwright = version("playwright")
    except PackageNotFoundError:  # a venv being reinstalled under us
        playwright = "unknown"
    axe = json.loads((AXE.parent / "package.json").read_text())["version"]
    return {
        "axe-core": axe,
        "chromium": browser.version,
        "playwright": playwright,
        "python": platform.python_version(),
    }


@contextmanager
def _test_database() -> Iterator[None]:
    """pytest-django creates the test database only when some test asks for ``db``: these tests
    share one instead, so when they run alone they create it here (and never touch a real one)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        yield
        return
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        yield
    finally:
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="package")
def site(browser, django_db_setup, django_db_blocker) -> Iterator[Site]:
    from django.conf import settings
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    from gpvoice.nonprod.demo import load_demo

    with django_db_blocker.unblock(), _test_database():
        load_demo()
        ids = _demo_ids()
        cookies = {"name": settings.SESSION_COOKIE_NAME}
        cookies |= {name: _session_cookie(email, strong=strong) for name, (email, strong) in PERSONAS.items()}
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        report = Report()
        site = Site(url=server.url, browser=browser, ids=ids, cookies=cookies, report=report)
        try:
            yield site
        finally:
            for context in site._contexts.values():
                context.close()
            server._live_server_modified_settings.disable()
            server.stop()
            if report.pages:
                report.write(Path(settings.ACCESSIBILITY_REPORT_PATH), versions=_versions(browser))
            call_command("flush", interactive=False, verbosity=0)
