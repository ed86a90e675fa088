"""What the accessibility statement says: known gaps, who to contact, and the last automated test.

The browser tests (tests/browser/a11y) write their findings as JSON to ACCESSIBILITY_REPORT_PATH;
the statement reads that file, so the figures it gives are the ones the tests measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from .formats import when

PREPARED_ON = date(2026, 12, 6)


@dataclass(frozen=True)
class KnownIssue:
    what: str
    criterion: str
    fix_by: date


# What is not yet accessible, or not yet checked, and when that will change.
KNOWN_ISSUES = (
    KnownIssue(
        "The back office (the Django admin, used only by platform staff to import NHS files and "
        "correct records) uses Django's own pages and is not part of the full automated check. A "
        "sample of its pages found filter links smaller than 24 by 24 pixels, date and time boxes "
        "without labels of their own, a link told apart from text only by its colour, and the "
        "import page scrolling sideways on a narrow screen.",
        "2.5.8 Target Size, 3.3.2 Labels or Instructions, 1.4.1 Use of Colour, 1.4.10 Reflow",
        date(2027, 3, 31),
    ),
    KnownIssue(
        "Wide tables (for example the full list of practices, the audit log and the Schulze "
        "pairwise tables) scroll sideways inside their own box on a narrow screen instead of "
        "rearranging, which is allowed for data tables but is harder to read.",
        "1.4.10 Reflow (permitted exception for data tables)",
        date(2027, 6, 30),
    ),
    KnownIssue(
        "No one who uses a screen reader, switch access or voice control has yet tested the "
        "service with us; our checks so far are automated.",
        "not yet tested by disabled people",
        date(2027, 6, 30),
    ),
)


@dataclass(frozen=True)
class LastTest:
    tested_at: datetime
    method: str
    pages: int
    violations: int
    forms: int
    not_scanned: int
    tools: dict[str, str]
    complete: bool  # False when only some routes were walked (a test run narrowed with -k)


def last_test(path: str | Path | None = None) -> LastTest | None:
    """The summary the browser tests wrote, or None if there is none (or it cannot be read)."""
    try:
        data: dict[str, Any] = json.loads(Path(path or settings.ACCESSIBILITY_REPORT_PATH).read_text())
        return LastTest(
            tested_at=datetime.fromisoformat(data["tested_at"]),
            method=str(data["method"]),
            pages=int(data["pages_scanned"]),
            violations=int(data["violations"]),
            forms=int(data.get("forms_sent_empty", 0)),
            not_scanned=len(data.get("not_scanned", {})),
            tools={str(k): str(v) for k, v in data["tools"].items()},
            complete=int(data.get("routes_walked", 0)) >= int(data.get("routes_total", 1)),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def statement() -> dict[str, Any]:
    """Everything the statement page shows, decided here rather than in the template."""
    test = last_test()
    fully = test is not None and test.violations == 0 and not KNOWN_ISSUES
    return {
        "compliance": "fully compliant" if fully else "partially compliant",
        "known_issues": [
            {"what": i.what, "criterion": i.criterion, "fix_by": _day(i.fix_by)} for i in KNOWN_ISSUES
        ],
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "prepared_on": _day(PREPARED_ON),
        "last_test": test,
        "tested_at": when(test.tested_at) if test else "",
        "tools": ", ".join(f"{name} {version}" for name, version in test.tools.items()) if test else "",
    }


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
