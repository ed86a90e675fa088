"""The meeting pack as a PDF: the pack page's content, the pack page's check, no network, no cache."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from gpvoice.core.models import Role
from gpvoice.meetings import pdf, services

from .test_pages import _grow

pytestmark = pytest.mark.django_db


def _url(meeting):
    return reverse("meetings:pack_pdf", args=[meeting.group.slug, meeting.pk])


def _text(body: bytes) -> str:
    """The PDF's words, one space apart (the layout's line breaks do not matter here)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())


@pytest.fixture
def officer(client, admin, strong_login):
    strong_login(client, admin)
    return client


def test_the_pdf_is_the_pack_with_its_agenda_downloaded_and_never_cached(officer, held, admin):
    meeting = held()
    services.agenda_item_add(meeting=meeting, title="Estates strategy", actor=admin)
    services.agenda_item_add(meeting=meeting, title="Winter access plan", actor=admin)
    response = officer.get(_url(meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="meeting-pack-{meeting.pk}.pdf"'
    assert response["Cache-Control"] == "no-store"
    text = _text(response.content)
    assert "Estates strategy" in text and "Winter access plan" in text
    assert "Download the meeting pack" not in text  # the page's own link is not printed


def test_the_pdf_shows_declarations_and_the_quorum_flag_as_the_page_does(officer, held, admin):
    meeting = held()
    _grow(meeting, admin, 2)
    text = _text(officer.get(_url(meeting)).content)
    assert "Declared interests in" in text and "withdrew" in text and "Taken without a quorum" in text


def test_another_groups_member_gets_not_found(client, held, outsider):
    meeting = held()
    client.force_login(outsider)
    assert client.get(_url(meeting)).status_code == 404


def test_an_observer_gets_no_agenda_unless_the_group_allows(client, group, held, admin, personas):
    meeting = held()
    services.agenda_item_add(meeting=meeting, title="Confidential budget", actor=admin)
    client.force_login(personas[Role.OBSERVER])
    response = client.get(_url(meeting))
    assert response.status_code == 200
    assert "Confidential budget" not in _text(response.content)
    services.meeting_settings_update(
        group=group, quorum_num=1, quorum_den=2, observers_see_papers=True, actor=admin
    )
    assert "Confidential budget" in _text(client.get(_url(meeting)).content)


def test_the_pdf_runs_the_same_queries_however_big_the_meeting(officer, held, admin):
    meeting = held()
    _grow(meeting, admin, 1)
    officer.get(_url(meeting))
    with CaptureQueriesContext(connection) as small:
        assert officer.get(_url(meeting)).status_code == 200
    _grow(meeting, admin, 6)
    with CaptureQueriesContext(connection) as big:
        assert officer.get(_url(meeting)).status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "https://assets.example.test/font.woff2",
        "http://testserver/media/meetings/1/1/secret.bin",
        "file:///etc/passwd",
        "http://testserver/assets/../../manage.py",
        "http://testserver/assets/%2e%2e/%2e%2e/manage.py",
        "http://testserver/assets/no-such-file.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(ValueError, match="Only the service's own static files"):
        pdf.LocalStaticFetcher().fetch(url)


def test_the_fetcher_serves_our_stylesheet_from_disk():
    response = pdf.LocalStaticFetcher().fetch("http://testserver/assets/gpvoice/gpvoice.css")
    assert response.content_type == "text/css" and response.read()
