"""The outbox: each message once, delivered by a worker, retried with backoff, never sent twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gpvoice.jobs.mail import queue_email
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.jobs.retry import MAX_ATTEMPTS, backoff
from gpvoice.jobs.tasks import deliver_email

from .conftest import DyingBackend


def _queue(key="test:1", **extra):
    return queue_email(key=key, to=["gp@example.nhs.uk"], subject="Hello", body="Text", **extra)


@pytest.mark.django_db
def test_queueing_the_same_message_twice_stores_and_sends_it_once():
    first, new = _queue()
    again, new_again = _queue()
    assert (new, new_again) == (True, False)
    assert first.pk == again.pk
    assert OutgoingEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT


@pytest.mark.django_db
def test_a_credential_is_erased_from_the_outbox_once_sent():
    _queue(erase_after_send=True)
    email = OutgoingEmail.objects.get()
    assert email.state == OutgoingEmail.State.SENT
    assert "Text" not in email.body
    assert mail.outbox[0].body == "Text"


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_nothing_is_sent_until_a_worker_runs(database_tasks):
    _queue()
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.QUEUED
    call_command("worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT
    assert DBTaskResult.objects.successful().count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_message_is_retried_with_backoff_and_the_failure_is_visible(database_tasks, settings):
    settings.EMAIL_BACKEND = "gpvoice.jobs.tests.conftest.RefusingBackend"
    _queue()
    start = timezone.now()
    call_command("worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    email = OutgoingEmail.objects.get()
    assert email.state == OutgoingEmail.State.QUEUED
    assert email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    assert start + backoff(1) <= email.next_attempt_at <= timezone.now() + backoff(1)
    assert DBTaskResult.objects.failed().count() == 1  # the back office lists the failed attempt
    waiting = DBTaskResult.objects.exclude(status="FAILED").get()
    assert waiting.run_after >= start + backoff(1)  # not before the backoff

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []  # too early: the retry waits for its time
    with time_machine.travel(timezone.now() + backoff(1) + timedelta(seconds=1)):
        call_command("worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (OutgoingEmail.State.SENT, 2)


@pytest.mark.django_db
def test_a_message_the_server_keeps_refusing_is_given_up_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "gpvoice.jobs.tests.conftest.RefusingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    email, _ = _queue()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        OutgoingEmail.objects.filter(pk=email.pk).update(state=OutgoingEmail.State.QUEUED)
        with pytest.raises(Exception, match="connection closed"):
            deliver_email.call(email.pk, attempt=attempt)
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.FAILED
    assert email.next_attempt_at is None


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(20) == timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_never_sends_the_message_again(database_tasks, settings):
    settings.EMAIL_BACKEND = "gpvoice.jobs.tests.conftest.DyingBackend"
    DyingBackend.sent = []
    email, _ = _queue()
    with pytest.raises(KeyboardInterrupt):
        deliver_email.call(email.pk)  # the process dies after the server took the message
    assert len(DyingBackend.sent) == 1
    email.refresh_from_db()
    assert email.state == OutgoingEmail.State.SENDING  # left as it was when the worker died

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("worker", "--once", stdout=open("/dev/null", "w"))  # noqa: SIM115  (the queued task)
    assert deliver_email.call(email.pk) == "not queued (already sent, being sent or given up)"
    assert mail.outbox == []


@pytest.mark.django_db
def test_each_task_writes_one_log_line_without_personal_data(caplog):
    with caplog.at_level("INFO", logger="gpvoice.event"):
        _queue()
    lines = [r for r in caplog.records if r.name == "gpvoice.event" and r.getMessage() == "task"]
    assert len(lines) == 1
    fields = lines[0].fields
    assert fields["task"] == "deliver_email" and fields["status"] == "SUCCESSFUL"
    assert "gp@example.nhs.uk" not in repr(fields)
