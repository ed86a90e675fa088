import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gpvoice.core.models import Role
from gpvoice.directory import layouts as files
from gpvoice.directory.models import Organisation


@pytest.fixture
def back_office(client, personas, strong_login):
    admin = personas[Role.ADMIN]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    strong_login(client, admin)
    return client


def _upload(client, data: bytes, kind: str = "practice-map"):
    return client.post(
        "/admin/directory/organisation/import/", {"kind": kind, "file": SimpleUploadedFile("f.csv", data)}
    )


@pytest.mark.django_db
def test_upload_previews_then_applies_on_confirm(back_office):
    preview = _upload(back_office, files.practice_map([files.map_row("Z10001")]))
    assert "New: 5" in preview.content.decode() and "Dry run" in preview.content.decode()
    assert not Organisation.objects.exists()
    token = back_office.session["directory_pending_import"]["token"]
    done = back_office.post("/admin/directory/organisation/import/", {"confirm": "1", "token": token})
    assert done.status_code == 302
    assert Organisation.objects.filter(ods_code="Z10001").exists()
    replay = back_office.post("/admin/directory/organisation/import/", {"confirm": "1", "token": token})
    assert replay.status_code == 302  # the preview is spent: a second confirm applies nothing new


@pytest.mark.django_db
def test_bad_upload_shows_problems_and_offers_no_confirm(back_office):
    preview = _upload(back_office, files.practice_map([files.map_row("BAD")]))
    html = preview.content.decode()
    assert "Line 2" in html and "Apply this import" not in html
    assert "directory_pending_import" not in back_office.session
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_forged_confirm_token_is_refused(back_office):
    _upload(back_office, files.practice_map([files.map_row("Z10001")]))
    response = back_office.post(
        "/admin/directory/organisation/import/", {"confirm": "1", "token": "../../etc"}
    )
    assert response.status_code == 302 and not Organisation.objects.exists()


@pytest.mark.django_db
def test_upload_needs_the_back_office(client, personas, strong_login):
    strong_login(client, personas[Role.EXECUTIVE])  # not staff
    assert _upload(client, files.practice_map([files.map_row("Z10001")])).status_code == 302
    assert not Organisation.objects.exists()
