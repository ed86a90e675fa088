"""The accessibility statement: the public sector template's parts, the contact from a setting,
and the last test's figures read from the report the browser tests write."""

from __future__ import annotations

import json

import pytest

from gpvoice.core.statement import last_test

REPORT = {
    "tested_at": "2026-12-06T10:30:00+00:00",
    "standard": "WCAG 2.2 AA",
    "method": "axe-core on every route",
    "tools": {"axe-core": "4.14.1", "chromium": "156.0"},
    "routes_walked": 221,
    "routes_total": 221,
    "pages_scanned": 97,
    "forms_sent_empty": 31,
    "violations": 0,
    "problems": [],
    "not_scanned": {"health": "JSON", "admin/": "back office"},
}


@pytest.fixture
def report(tmp_path, settings):
    path = tmp_path / "accessibility-report.json"
    settings.ACCESSIBILITY_REPORT_PATH = str(path)
    return path


def test_statement_has_every_part_of_the_template_and_cites_the_last_test(client, report, settings):
    report.write_text(json.dumps(REPORT))
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@lmc.example.org"
    page = client.get("/accessibility").content.decode()
    for heading in (
        "How accessible this service is",
        "Reporting a problem",
        "Enforcement procedure",
        "Compliance status",
        "not yet accessible",
        "How we tested this service",
    ):
        assert heading in page
    assert "Equality and Human Rights Commission" in page and "Equality Advisory and Support Service" in page
    assert 'href="mailto:access@lmc.example.org"' in page
    assert "last tested on 06 December 2026 at 10:30" in page
    assert "Pages scanned: 97" in page and "Problems found: 0" in page
    assert "lead to the field: 31" in page
    assert "cannot be opened on their own: 2" in page
    assert "axe-core 4.14.1, chromium 156.0" in page
    assert "partially compliant" in page  # known gaps remain, whatever the scan found
    assert "to be fixed by 31 March 2027" in page
    assert "checked only some of the pages" not in page


def test_a_partial_run_is_called_partial(client, report):
    report.write_text(json.dumps({**REPORT, "routes_walked": 12}))
    assert "That run checked only some of the pages." in client.get("/accessibility").content.decode()


def test_without_a_contact_setting_people_are_sent_to_their_group_admin(client, report, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    page = client.get("/accessibility").content.decode()
    assert "mailto:" not in page
    assert "tell the administrator of your leadership group" in page


@pytest.mark.parametrize(
    "content", [None, "", "{not json", "[]", json.dumps({**REPORT, "pages_scanned": "x"})]
)
def test_a_missing_or_unreadable_report_says_there_is_no_record(client, report, content):
    if content is not None:
        report.write_text(content)
    assert last_test(report) is None
    page = client.get("/accessibility").content.decode()
    assert "holds no record of a test" in page and "Pages scanned" not in page


def test_a_hostile_report_is_escaped(client, report):
    report.write_text(json.dumps({**REPORT, "method": "<script>alert(1)</script>"}))
    page = client.get("/accessibility").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
