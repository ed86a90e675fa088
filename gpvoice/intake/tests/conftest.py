from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from conftest import make_member
from gpvoice.core.models import AuditEntry, Role
from gpvoice.intake import services
from gpvoice.intake.models import (
    AccessRequest,
    Attachment,
    Category,
    Message,
    MonthlyServiceLevel,
    ReferenceCounter,
    StatusChange,
)


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Files in a folder of this test's own; rate-limit counters from zero."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://gpvoice.test"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(group):
    return make_member(group, Role.EXECUTIVE, "exec@northvale.test")


@pytest.fixture
def admin(group):
    return make_member(group, Role.ADMIN, "admin@northvale.test")


DETAILS = {
    "organisation": "NHS Test ICB",
    "name": "Alex Partner",
    "email": "alex@icb.nhs.test",
    "subject": "Winter access plan",
    "body": "Please give general practice's view on the winter plan.",
    "wanted_by": None,
}


def submit(group, *, ip: str = "10.0.0.1", files=(), **changes: Any) -> tuple[AccessRequest, str]:
    """A public submission; (the unverified request, the token from its verification email)."""
    mail.outbox.clear()
    request = services.request_submit(group=group, ip=ip, files=list(files), **{**DETAILS, **changes})
    return request, link_token(mail.outbox[-1].body, "verify")


def link_token(body: str, kind: str) -> str:
    match = re.search(rf"/spa/{kind}/([A-Za-z0-9_-]{{43}})/", body)
    assert match, body
    return match.group(1)


def receive(group, **changes: Any) -> tuple[AccessRequest, str]:
    """A confirmed request; (the request, its tracking token)."""
    _, token = submit(group, ip=f"10.1.{len(mail.outbox)}.{AccessRequest.objects.count()}", **changes)
    request, tracking = services.request_verify(token=token)
    return request, tracking


def category(group, actor, name: str = "General", days: int = 10) -> Category:
    return services.category_create(group=group, actor=actor, name=name, service_days=days)


def at(day: date, hour: int = 10) -> Any:
    """Travel to ``hour`` o'clock London time on ``day``."""
    return time_machine.travel(timezone.make_aware(datetime(day.year, day.month, day.day, hour)), tick=False)


def state() -> tuple[Any, ...]:
    return (
        list(
            AccessRequest.objects.order_by("pk").values_list(
                "pk",
                "reference",
                "status",
                "category_id",
                "priority",
                "lead_id",
                "due_on",
                "paused_on",
                "paused_days",
                "merged_into_id",
                "decline_reason",
                "route",
                "decision_id",
                "ballot_id",
                "referred_at",
                "answered_at",
                "closed_at",
                "tracking_revoked_at",
                "is_nominee_request",
            )
        ),
        list(Message.objects.order_by("pk").values_list("pk", "body")),
        list(StatusChange.objects.order_by("pk").values_list("pk", "status")),
        list(Attachment.objects.order_by("pk").values_list("pk", "name")),
        list(Category.objects.order_by("pk").values_list("pk", "name", "service_days")),
        list(ReferenceCounter.objects.order_by("pk").values_list("pk", "last")),
        list(MonthlyServiceLevel.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged():`` asserts the block leaves intake and the audit log as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard
