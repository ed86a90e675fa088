"""Scheduled jobs: each due occurrence is claimed by exactly one worker and run once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gpvoice.core.tests.threads import run_together
from gpvoice.jobs import schedule
from gpvoice.jobs.models import ScheduledJob

RUNS: list = []


def _count_run(now):
    RUNS.append(now)
    return "ok"


def _failing_run(now):
    raise RuntimeError("the job broke")


@pytest.fixture(autouse=True)
def _clear_runs():
    RUNS.clear()


@pytest.mark.django_db
def test_a_due_job_is_claimed_once_and_again_only_after_its_interval(only_test_jobs):
    schedule.register("count", every=timedelta(minutes=1), run=_count_run)
    now = timezone.now()
    assert schedule.enqueue_due(now=now) == ["count"]
    assert schedule.enqueue_due(now=now + timedelta(seconds=59)) == []
    assert schedule.enqueue_due(now=now + timedelta(minutes=1)) == ["count"]
    assert len(RUNS) == 2  # the immediate backend of the tests ran each claimed occurrence


@pytest.mark.django_db(transaction=True)
def test_racing_workers_never_enqueue_the_same_occurrence_twice(only_test_jobs, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    schedule.register("count", every=timedelta(minutes=1), run=_count_run)
    now = timezone.now()
    claims: list[list[str]] = []
    errors = run_together([lambda: claims.append(schedule.enqueue_due(now=now))] * 8)
    assert errors == []
    assert sorted(claims) == [[]] * 7 + [["count"]]
    assert DBTaskResult.objects.count() == 1
    assert ScheduledJob.objects.get(name="count").next_run_at == now + timedelta(minutes=1)


@pytest.mark.django_db
def test_a_failing_job_is_recorded_for_the_operator(only_test_jobs):
    schedule.register("broken", every=timedelta(days=1), run=_failing_run)
    schedule.enqueue_due()  # the task fails; the worker (here the immediate backend) carries on
    row = ScheduledJob.objects.get(name="broken")
    assert row.consecutive_failures == 1
    assert "the job broke" in row.last_error


def test_the_apps_register_their_scheduled_work():
    names = {job.name for job in schedule.registered()}
    assert {"ballot-clock", "declaration-reminders", "apply-retention"} <= names


def test_two_jobs_cannot_share_a_name(only_test_jobs):
    schedule.register("count", every=timedelta(minutes=1), run=_count_run)
    with pytest.raises(ValueError, match="already registered"):
        schedule.register("count", every=timedelta(minutes=1), run=_failing_run)


@pytest.mark.django_db
def test_declaration_reminders_twice_in_a_week_email_each_person_once(group):
    from gpvoice.directory.tests.factories import PersonFactory
    from gpvoice.governance.jobs import run_declaration_reminders
    from gpvoice.governance.models import RollEntry, RollStatus

    person = PersonFactory(full_name="Dr Due", email="due@example.nhs.uk")
    RollEntry.objects.create(group=group, person=person, status=RollStatus.ATTENDEE, basis="test")
    run_declaration_reminders(timezone.now())
    run_declaration_reminders(timezone.now())
    assert [m.to for m in mail.outbox] == [["due@example.nhs.uk"]]
