import pytest

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def only_test_jobs(monkeypatch):
    """A schedule with just the jobs a test registers (the apps' own stay untouched)."""
    from gpvoice.jobs import schedule

    monkeypatch.setattr(schedule, "_JOBS", {})


@pytest.fixture
def database_tasks(settings, only_test_jobs):
    """The deployment's real backend: tasks wait in the database until a worker runs them."""
    settings.TASKS = DATABASE_TASKS


class RefusingBackend:
    """A mail backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("connection closed by the mail server")


class DyingBackend:
    """A mail backend that hands the message over and then the process is killed (the worst moment)."""

    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        DyingBackend.sent.extend(messages)
        raise KeyboardInterrupt("worker killed mid-send")
