from datetime import date

from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gpvoice.intake import jobs, services
from gpvoice.intake.models import AccessRequest, Status
from gpvoice.jobs import schedule

from .conftest import at, category, receive, submit


def test_the_jobs_are_registered_with_the_scheduler():
    names = {job.name for job in schedule.registered()}
    assert {"intake-delete-unverified", "intake-breach-warnings"} <= names


def test_unconfirmed_submissions_and_their_files_are_deleted_once_expired(group):
    with at(date(2027, 1, 4), 9):
        stale, _ = submit(group, files=[SimpleUploadedFile("a.txt", b"hello")])
        path = stale.attachments.get().file.name
        kept, _ = receive(group)
    with at(
        date(2027, 1, 5),
        8,
    ):
        fresh, _ = submit(group, ip="10.0.0.7")
        assert jobs.delete_unverified(timezone.now()) == "0 unconfirmed requests deleted"  # 23 hours: kept
    with at(date(2027, 1, 5), 9):
        assert jobs.delete_unverified(timezone.now()) == "1 unconfirmed requests deleted"
    assert not AccessRequest.objects.filter(pk=stale.pk).exists()
    assert not default_storage.exists(path)
    assert set(AccessRequest.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}


def test_officers_are_warned_once_before_a_breach(group, officer, admin, settings):
    settings.INTAKE_WARN_WORKING_DAYS = 2
    with at(date(2027, 1, 4)):  # Monday
        request, _ = receive(group)
        request = services.request_triage(
            request=request,
            actor=officer,
            category=category(group, officer, days=5),
            priority="normal",
            lead=officer,
        )
    assert request.due_on == date(2027, 1, 11)
    with at(date(2027, 1, 6)):  # Wednesday: three working days to go
        mail.outbox.clear()
        assert jobs.warn_breaches(timezone.now()) == "0 breach warnings queued"
    with at(date(2027, 1, 7)):  # Thursday: two working days to go (Fri, Mon)
        assert jobs.warn_breaches(timezone.now()) == "1 breach warnings queued"
        assert jobs.warn_breaches(timezone.now()) == "0 breach warnings queued"  # once per request
    assert [sorted(m.to) for m in mail.outbox] == [["admin@northvale.test", "exec@northvale.test"]]
    assert mail.outbox[0].subject == f"{request.reference} is due on 11 January 2027"


def test_a_request_waiting_on_the_requester_is_not_warned(group, officer):
    with at(date(2027, 1, 4)):
        request, _ = receive(group)
        services.request_triage(
            request=request,
            actor=officer,
            category=category(group, officer, days=1),
            priority="normal",
            lead=None,
        )
        services.request_write(request=request, actor=officer, body="Which?", wait=True)
        mail.outbox.clear()
    with at(date(2027, 1, 20)):
        assert jobs.warn_breaches(timezone.now()) == "0 breach warnings queued"
    assert AccessRequest.objects.get().status == Status.WAITING


def test_the_housekeeping_command_runs_both_jobs(group, capsys):
    from django.core.management import call_command

    call_command("intake-housekeeping")
    out = capsys.readouterr().out
    assert "0 unconfirmed requests deleted" in out and "0 breach warnings queued" in out
