import re
import shutil
import tempfile
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory import layouts as files
from gpvoice.directory.models import Organisation, PendingImport

IMPORT = "/admin/directory/organisation/import/"


@pytest.fixture
def back_office(client, personas, strong_login):
    admin = personas[Role.ADMIN]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    strong_login(client, admin)
    return client


def _upload(client, data: bytes, kind: str = "practice-map"):
    return client.post(IMPORT, {"kind": kind, "file": SimpleUploadedFile("f.csv", data)})


def _token(preview) -> str:
    return re.search(r'name="token" value="([^"]+)"', preview.content.decode()).group(1)


def _confirm(client, token: str):
    return client.post(IMPORT, {"confirm": "1", "token": token}, follow=True)


@pytest.fixture
def another_back_office(personas, strong_login):
    """A second back-office user, in a browser of their own."""
    other = personas[Role.EXECUTIVE]
    other.is_staff = other.is_superuser = True
    other.save()
    client = Client()
    strong_login(client, other)
    return client


@pytest.mark.django_db
def test_upload_previews_then_applies_on_confirm(back_office):
    preview = _upload(back_office, files.practice_map([files.map_row("Z10001")]))
    assert "New: 5" in preview.content.decode() and "Dry run" in preview.content.decode()
    assert not Organisation.objects.exists()
    done = back_office.post(IMPORT, {"confirm": "1", "token": _token(preview)})
    assert done.status_code == 302
    assert Organisation.objects.filter(ods_code="Z10001").exists()
    assert not PendingImport.objects.exists(), "a confirmed upload is not kept"


@pytest.mark.django_db
def test_bad_upload_shows_problems_and_offers_no_confirm(back_office):
    preview = _upload(back_office, files.practice_map([files.map_row("BAD")]))
    html = preview.content.decode()
    assert "Line 2" in html and "Apply this import" not in html
    assert not PendingImport.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_forged_confirm_token_is_refused(back_office):
    _upload(back_office, files.practice_map([files.map_row("Z10001")]))
    for forged in ("../../etc", "", "x" * 10_000, "a\x00b"):
        response = back_office.post(IMPORT, {"confirm": "1", "token": forged})
        assert response.status_code == 302 and not Organisation.objects.exists()
    assert PendingImport.objects.count() == 1, "the real preview is still there to confirm"


@pytest.mark.django_db
def test_upload_needs_the_back_office(client, personas, strong_login):
    strong_login(client, personas[Role.EXECUTIVE])  # not staff
    assert _upload(client, files.practice_map([files.map_row("Z10001")])).status_code == 302
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_confirm_survives_temporary_files_and_caches_being_cleared(back_office, settings, tmp_path):
    """The upload waits in the database: another app server, with its own temp directory and
    cache, confirms it just the same."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    preview = _upload(back_office, files.practice_map([files.map_row("Z10001")]))
    shutil.rmtree(tmp_path, ignore_errors=True)
    shutil.rmtree(f"{tempfile.gettempdir()}/gpvoice-imports", ignore_errors=True)  # where it used to wait
    cache.clear()
    done = _confirm(back_office, _token(preview))
    assert "New: 5" in done.content.decode()
    assert Organisation.objects.filter(ods_code="Z10001").exists()


@pytest.mark.django_db
def test_a_confirmed_preview_cannot_be_confirmed_twice(back_office):
    token = _token(_upload(back_office, files.practice_map([files.map_row("Z10001")])))
    _confirm(back_office, token)
    before = (Organisation.objects.count(), AuditEntry.objects.count())
    again = _confirm(back_office, token)
    assert "expired or was already applied" in again.content.decode()
    assert (Organisation.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_another_users_token_is_refused_and_stays_theirs(back_office, another_back_office):
    token = _token(_upload(back_office, files.practice_map([files.map_row("Z10001")])))
    refused = _confirm(another_back_office, token)
    assert "expired or was already applied" in refused.content.decode()
    assert (
        not Organisation.objects.exists()
        and not AuditEntry.objects.filter(action="directory.import.applied").exists()
    )
    _confirm(back_office, token)
    assert Organisation.objects.filter(ods_code="Z10001").exists(), "the uploader may still confirm"


@pytest.mark.django_db
def test_abandoned_uploads_are_deleted_and_cannot_be_confirmed(back_office):
    old = _token(_upload(back_office, files.practice_map([files.map_row("Z10001")])))
    PendingImport.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert "expired" in _confirm(back_office, old).content.decode()
    assert not Organisation.objects.exists()
    _upload(back_office, files.practice_map([files.map_row("Z10002")]))  # a new upload clears it
    assert list(PendingImport.objects.values_list("created_at__date", flat=True)) == [timezone.localdate()]


@pytest.mark.django_db
def test_the_clearing_command_keeps_uploads_younger_than_a_day(back_office):
    _upload(back_office, files.practice_map([files.map_row("Z10001")]))
    _upload(back_office, files.practice_map([files.map_row("Z10002")]))
    young, old = PendingImport.objects.order_by("pk")
    PendingImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    PendingImport.objects.filter(pk=young.pk).update(created_at=timezone.now() - timedelta(hours=23))
    call_command("clear-abandoned-imports")
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [young.pk]
