from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from gpvoice.core.models import Role
from gpvoice.meetings import papers, services
from gpvoice.meetings.models import Paper

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def office(main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Budget.pdf", PDF, "application/pdf"),
        ("Map.PNG", PNG, "image/png"),
        ("Photo.jpeg", b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        ("Paper.docx", office("word/document.xml"), papers.OFFICE["docx"][0]),
        ("Figures.xlsx", office("xl/workbook.xml"), papers.OFFICE["xlsx"][0]),
        ("Slides.pptx", office("ppt/presentation.xml"), papers.OFFICE["pptx"][0]),
    ],
)
def test_real_papers_are_taken_by_their_content(name, data, content_type):
    assert papers.check(name, data).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("Budget.pdf", b"MZ\x90\x00 an executable", "not a real .pdf"),
        ("Budget.pdf", b"<html><script>alert(1)</script>", "not a real .pdf"),
        ("Map.png", PDF, "not a real .png"),
        ("Paper.docx", office("xl/workbook.xml"), "not a real .docx"),  # a spreadsheet renamed
        ("Paper.docx", b"PK\x03\x04 but no zip at all", "not a real .docx"),
        ("Paper.docx", PDF, "not a real .docx"),
        ("Run.exe", b"MZ", "not a file type we take"),
        ("noextension", PDF, "not a file type we take"),
        ("Empty.pdf", b"", "is empty"),
        ("Huge.pdf", b"%PDF-" + b"0" * papers.MAX_BYTES, "larger than 20 MB"),
    ],
)
def test_disguised_empty_and_oversized_files_are_refused(name, data, reason):
    with pytest.raises(papers.NotAPaper, match=reason):
        papers.check(name, data)


@pytest.mark.django_db
def test_a_disguised_upload_changes_nothing(make_meeting, admin, unchanged):
    item = services.agenda_item_add(meeting=make_meeting(), title="Budget", actor=admin)
    with unchanged(), pytest.raises(services.MeetingError, match="not a real .pdf"):
        services.paper_attach(item=item, name="Budget.pdf", data=b"MZ\x90", actor=admin)


@pytest.mark.django_db
def test_only_officers_attach_papers(make_meeting, admin, personas, unchanged):
    item = services.agenda_item_add(meeting=make_meeting(), title="Budget", actor=admin)
    with unchanged(), pytest.raises(services.MeetingError, match="Only the officers"):
        services.paper_attach(item=item, name="Budget.pdf", data=PDF, actor=personas[Role.CORE])


@pytest.mark.django_db
def test_papers_are_served_to_readers_only_and_never_cached(
    client, make_meeting, admin, personas, strong_login
):
    meeting = make_meeting()
    item = services.agenda_item_add(meeting=meeting, title="Budget", actor=admin)
    strong_login(client, admin)
    response = client.post(
        reverse("meetings:agenda", args=[meeting.group.slug, meeting.pk]),
        {"do": "paper", "item": item.pk, "paper": io.BytesIO(PDF)},
    )
    assert response.status_code == 200  # a BytesIO has no name: refused, with a message
    upload = io.BytesIO(PDF)
    upload.name = "Budget.pdf"
    client.post(
        reverse("meetings:agenda", args=[meeting.group.slug, meeting.pk]),
        {"do": "paper", "item": item.pk, "paper": upload},
    )
    paper = Paper.objects.get()
    url = reverse("meetings:paper", args=[meeting.group.slug, meeting.pk, paper.pk])
    client.force_login(personas[Role.ATTENDEE])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(personas[Role.OBSERVER])
    assert client.get(url).status_code == 404
