"""Sounding-board fixtures: a footprint, a practice's signatories, reviewers and a plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import make_member, make_signatory
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.tests.factories import PersonFactory, make_area
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.soundingboard import services
from gpvoice.soundingboard.models import Assignment, Document, Review, Submission

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def area(group) -> dict[str, Any]:
    return make_area(practices=2, footprint_of=group)


@pytest.fixture
def practice(area):
    return area["practices"][0]


@pytest.fixture
def signatory(group, practice):
    return make_signatory(group, practice, "sig@riverside.test")


@pytest.fixture
def second_signatory(group, practice):
    return make_signatory(group, practice, "sig2@riverside.test")


@pytest.fixture
def officer(personas):
    return personas[Role.ADMIN]


def make_reviewer(group, email: str, role: Role = Role.CORE):
    user = make_member(group, role, email)
    PersonFactory(full_name=f"Reviewer {email}", user=user, email=email)
    return user


@pytest.fixture
def reviewer(group):
    return make_reviewer(group, "reviewer@nhs.test")


@pytest.fixture
def second_reviewer(group):
    return make_reviewer(group, "reviewer2@nhs.test")


@pytest.fixture
def submit(group, practice, signatory) -> Callable[..., Submission]:
    def make(**overrides: Any) -> Submission:
        values: dict[str, Any] = {
            "group": group,
            "organisation": practice,
            "title": "Extended access hub",
            "plan": "We plan to **share** an extended access hub.",
            "perspectives": ["funder", "regulator"],
            "files": [("Plan.pdf", PDF)],
            "actor": signatory,
        }
        values.update(overrides)
        return services.submission_create(**values)

    return make


ANSWERS = {
    "funder": "Value for money is unclear.",
    "commissioner": "",
    "regulator": "Safe staffing needs showing.",
    "strengths": "Clear need.",
    "weaknesses": "No costs.",
    "questions": "Who staffs Saturdays?",
}


@pytest.fixture
def assigned(submit, officer, reviewer) -> Submission:
    submission = submit()
    services.reviewer_assign(submission=submission, email=reviewer.email, override_reason="", actor=officer)
    submission.refresh_from_db()
    return submission


def state() -> tuple[Any, ...]:
    """Everything a refused sounding-board write must leave as it was."""
    return (
        list(Submission.objects.order_by("pk").values_list("pk", "status", "title", "plan", "read_at")),
        list(Document.objects.order_by("pk").values_list("pk", "name", "size")),
        list(
            Assignment.objects.order_by("pk").values_list(
                "pk", "reviewer_id", "returned_at", "override_reason"
            )
        ),
        list(Review.objects.order_by("pk").values_list("pk", "strengths")),
        OutgoingEmail.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def unchanged():
    """``with unchanged(): ...``: the block leaves the sounding board and the audit log as they were."""

    class Guard:
        def __enter__(self) -> None:
            self.before = state()

        def __exit__(self, *exc: object) -> None:
            assert state() == self.before, "a refused write changed the database"

    return Guard
