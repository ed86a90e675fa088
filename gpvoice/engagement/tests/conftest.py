from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_signatory
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.tests.factories import make_area
from gpvoice.engagement import services
from gpvoice.engagement.models import (
    AnswerCount,
    Bulletin,
    BulletinDelivery,
    BulletinPreference,
    Consultation,
    ConsultationReminder,
    Question,
    Response,
)


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def area(group) -> dict[str, Any]:
    return make_area(practices=3, footprint_of=group)


@pytest.fixture
def practices(area) -> list[Any]:
    return list(area["practices"])


@pytest.fixture
def signatories(group, practices) -> list[Any]:
    """Two signatories of the first practice, one of each other practice."""
    return [
        make_signatory(group, practices[0], "first.a@practice.test"),
        make_signatory(group, practices[0], "first.b@practice.test"),
        make_signatory(group, practices[1], "second@practice.test"),
        make_signatory(group, practices[2], "third@practice.test"),
    ]


@pytest.fixture
def make_consultation(group, admin) -> Callable[..., Consultation]:
    def make(
        template: str = "relationship", *, open: bool = True, days: int = 10, **fields: Any
    ) -> Consultation:
        c = services.consultation_create(
            group=group,
            title=fields.pop("title", ""),
            closes_at=timezone.now() + timedelta(days=days),
            template=template,
            actor=admin,
            **fields,
        )
        if open:
            c = services.consultation_open(consultation=c, actor=admin)
        return c

    return make


def by_key(c: Consultation) -> dict[str, Question]:
    return {q.key: q for q in c.questions.all()}


def relationship_answers(
    c: Consultation, stance: str, view: str = "friends", closer: str = ""
) -> dict[str, Any]:
    q = by_key(c)
    return {str(q["stance"].pk): stance, str(q["pcn_view"].pk): view, str(q["closer"].pk): closer}


def state() -> tuple[Any, ...]:
    return (
        list(Consultation.objects.values().order_by("pk")),
        list(Question.objects.values().order_by("pk")),
        list(Response.objects.values().order_by("pk")),
        list(AnswerCount.objects.values().order_by("pk")),
        list(ConsultationReminder.objects.values().order_by("pk")),
        list(Bulletin.objects.values().order_by("pk")),
        list(BulletinDelivery.objects.values().order_by("pk")),
        list(BulletinPreference.objects.values().order_by("pk")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def unchanged():
    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard


def send_unchained(bulletin: Any, actor: Any, monkeypatch: Any) -> None:
    """``bulletin_send`` with no batch started after the delivery rows are made: as if the worker
    died between preparing and its first batch, or so that the test's own workers send them."""
    from gpvoice.engagement import delivery

    class Unstarted:
        def enqueue(self, *args: object) -> None:
            return None

    with monkeypatch.context() as patched:
        patched.setattr(delivery, "send_batch", Unstarted())
        services.bulletin_send(bulletin=bulletin, actor=actor)
