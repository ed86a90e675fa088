"""The rules of ballots live in the services: drafts checked there (table-tested), every write
checking its actor under the lock and recording an audit entry last; refusals change nothing."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from gpvoice.ballots import services
from gpvoice.ballots.models import Ballot, Status
from gpvoice.ballots.services.drafting import check_draft
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.tests.factories import PersonFactory
from gpvoice.governance.models import RollEntry

from .conftest import close_by_the_clock, make_signatory, option_ids

NOW = timezone.now()
GOOD = services.Draft(
    title="Extended access",
    question="Accept the offer?",
    method="yes_no",
    electorate="practices",
    opens_at=NOW + timedelta(days=1),
    closes_at=NOW + timedelta(days=8),
)


def drafted(**changes: Any) -> services.Draft:
    return replace(GOOD, **changes)


DRAFTS = [
    ({"title": ""}, "Give the ballot a title and a question."),
    ({"question": "   "}, "Give the ballot a title and a question."),
    ({"title": "Bad\x00title"}, "The title contains a character that cannot be stored."),
    ({"question": "Why?\x07"}, "The question contains a character that cannot be stored."),
    ({"title": "x" * 201}, "The title must be 200 characters or fewer; it has 201."),
    ({"question": "x" * 10_001}, "The question must be 10,000 characters or fewer; it has 10,001."),
    ({"method": "borda"}, "Choose a method and an electorate."),
    ({"electorate": "everyone"}, "Choose a method and an electorate."),
    ({"weighting": "by_height"}, "Choose a weighting and a threshold."),
    ({"threshold": "most"}, "Choose a weighting and a threshold."),
    ({"tie_break": "coin"}, "Choose how a tie is broken."),
    ({"method": "single", "options": ["Only one"]}, "Give at least two options."),
    ({"method": "single", "options": ["A", "A"]}, "Each option needs its own, non-empty label."),
    ({"method": "single", "options": ["A", " "]}, "Each option needs its own, non-empty label."),
    ({"method": "single", "options": [f"O{i}" for i in range(101)]}, "at most 100 options"),
    ({"method": "single", "options": ["A", "B\x00"]}, "contains a character that cannot be stored"),
    ({"method": "single", "options": ["A", "B" * 201]}, "must be 200 characters or fewer"),
    ({"electorate": "core", "weighting": "list_size"}, "Core members have one vote each"),
    ({"method": "approval", "options": ["A", "B"], "weighting": "double"}, "A double majority applies"),
    (
        {"method": "schulze", "options": ["A", "B"], "weighting": "list_size", "is_secret": True},
        "would reveal how individual practices voted",
    ),
    ({"method": "points", "options": ["A", "B"]}, "Set the points each elector has to give"),
    ({"method": "points", "options": ["A", "B"], "points_allowance": 10_001}, "Set the points"),
    ({"method": "points", "options": ["A", "B"], "points_allowance": True}, "Set the points"),
    ({"threshold": "custom", "threshold_num": 5, "threshold_den": 3}, "A custom threshold is a share"),
    ({"threshold": "custom", "threshold_num": None, "threshold_den": 2}, "A custom threshold is a share"),
    ({"threshold": "custom", "threshold_num": 0, "threshold_den": 2}, "A custom threshold is a share"),
    ({"quorum_practices_percent": 0}, "A quorum is a percentage between 1 and 100."),
    ({"quorum_patients_percent": 101}, "A quorum is a percentage between 1 and 100."),
    (
        {"electorate": "core", "quorum_patients_percent": 50},
        "A quorum by patients applies only to practices.",
    ),
    ({"secret_min_turnout": 0}, "The smallest turnout for showing a secret ballot's figures"),
    ({"closes_at": NOW + timedelta(days=1)}, "The ballot must close after it opens."),
    ({"reminders": [NOW + timedelta(days=9)]}, "Reminders must fall while the ballot is open."),
    ({"reminders": [NOW + timedelta(days=2, hours=h) for h in range(11)]}, "Set at most 10 reminders."),
]


@pytest.mark.parametrize(("changes", "message"), DRAFTS)
def test_each_bad_draft_is_refused_with_its_reason(changes, message):
    problems = check_draft(drafted(**changes))
    assert any(message in problem for problem in problems), problems


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"threshold": "custom", "threshold_num": 1, "threshold_den": 2},
        {"threshold": "custom", "threshold_num": 1, "threshold_den": 1},
        {"method": "single", "options": [f"O{i}" for i in range(100)]},
        {"title": "x" * 200, "quorum_practices_percent": 100, "secret_min_turnout": 1},
        {"method": "points", "options": ["A", "B"], "points_allowance": 10_000},
        {"reminders": [NOW + timedelta(days=2, hours=h) for h in range(10)]},
    ],
)
def test_good_drafts_at_the_edges_pass(changes):
    assert check_draft(drafted(**changes)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), DRAFTS[:6] + DRAFTS[-4:])
def test_a_refused_draft_changes_nothing(group, admin, unchanged, changes, message):
    with unchanged(), pytest.raises(services.BallotError, match=message.split(".")[0][:30]):
        services.ballot_create(group=group, draft=drafted(**changes), actor=admin)


@pytest.mark.django_db
def test_the_page_shows_the_services_refusals_one_by_one(client, group, admin, strong_login, unchanged):
    tomorrow = timezone.localdate() + timedelta(days=1)
    strong_login(client, admin)
    form = {
        "title": "Several problems",
        "question": "Q",
        "method": "single",
        "options": "Only one",
        "electorate": "core",
        "weighting": "list_size",
        "is_secret": "no",
        "threshold": "simple",
        "tie_break": "listed_first",
        "opens_on": tomorrow.strftime("%d/%m/%Y"),
        "opens_time": "09:00",
        "closes_on": tomorrow.strftime("%d/%m/%Y"),
        "closes_time": "08:00",
        "publish_on_close": "yes",
    }
    with unchanged():
        page = client.post(f"/g/{group.slug}/ballots/new/", form).content.decode()
    for message in (
        "Give at least two options.",
        "Core members have one vote each",
        "The ballot must close after it opens.",
    ):
        assert message in page


# Permissions --------------------------------------------------------------------------------


def _not_officers(personas, outsider) -> list[Any]:
    return [personas[r] for r in (Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF)] + [outsider]


@pytest.mark.django_db
def test_only_officers_draft_change_schedule_and_publish(
    group, admin, personas, outsider, make_ballot, unchanged
):
    draft = services.ballot_create(group=group, draft=GOOD, actor=admin)
    scheduled = make_ballot(open_now=False, title="Scheduled")
    closed = close_by_the_clock(make_ballot(title="Closed", publish_on_close=False))
    for user in _not_officers(personas, outsider):
        calls = [
            lambda u: services.ballot_create(group=group, draft=GOOD, actor=u),
            lambda u: services.ballot_update(ballot=draft, draft=drafted(title="Changed"), actor=u),
            lambda u: services.ballot_schedule(ballot=draft, actor=u),
            lambda u: services.ballot_unschedule(ballot=scheduled, actor=u),
            lambda u: services.ballot_publish(ballot=closed, actor=u),
            lambda u: services.ballot_cancel(ballot=scheduled, reason="Withdrawn", actor=u),
            lambda u: services.ballot_extend(
                ballot=scheduled, closes_at=scheduled.closes_at + timedelta(days=1), actor=u
            ),
        ]
        for call in calls:
            with unchanged(), pytest.raises(services.BallotError, match="Only the officers of"):
                call(user)
    assert closed.status == Status.CLOSED and scheduled.status == Status.SCHEDULED


@pytest.mark.django_db
def test_only_officers_record_a_show_of_hands(group, personas, outsider, unchanged):
    people = PersonFactory.create_batch(3)
    for person in people:
        RollEntry.objects.create(group=group, person=person, status="core")
    for user in _not_officers(personas, outsider):
        with unchanged(), pytest.raises(services.BallotError, match="Only the officers of"):
            services.show_of_hands_record(
                group=group,
                title="T",
                question="Q",
                meeting="M",
                held_on=timezone.localdate(),
                hands=[("For", 2), ("Against", 1)],
                present=people,
                actor=user,
            )


@pytest.mark.django_db
def test_a_show_of_hands_counts_only_people_on_the_groups_roll(group, admin, unchanged):
    strangers = PersonFactory.create_batch(3)
    with unchanged(), pytest.raises(services.BallotError, match="on the group's roll"):
        services.show_of_hands_record(
            group=group,
            title="T",
            question="Q",
            meeting="M",
            held_on=timezone.localdate(),
            hands=[("For", 2), ("Against", 1)],
            present=strangers,
            actor=admin,
        )


@pytest.mark.django_db
def test_a_signatory_who_is_not_a_member_of_the_group_cannot_vote(
    group, other_group, make_ballot, area, unchanged
):
    # A signatory of a footprint practice, but a member only of another group.
    stranger = make_signatory(other_group, area["practices"][0], "stranger@nhs.test")
    ballot = make_ballot()
    with unchanged(), pytest.raises(services.BallotError, match="Only members of"):
        services.ballot_cast(ballot=ballot, user=stranger, content={"choice": option_ids(ballot)[0]})


@pytest.mark.django_db
def test_an_officer_without_a_strong_sign_in_cannot_manage_from_the_page(client, group, admin, unchanged):
    ballot = services.ballot_create(group=group, draft=GOOD, actor=admin)
    client.force_login(admin)  # a login code only: no password and authenticator app
    with unchanged():
        response = client.post(f"/g/{group.slug}/ballots/{ballot.pk}/", {"action": "schedule"})
    assert response.status_code == 302 and "strong" in response["Location"]


# Audit: every write service records an entry, last, inside its transaction -------------------

#: Public functions of gpvoice/ballots/services that only read (and write nothing).
READS = {"electors_for", "compute_result"}
#: Writes by the clock that delegate each write to ``advance`` (which records each).
DELEGATES = {"advance_due", "advance_due_in"}  # each calls advance, which records


def _public_functions() -> set[str]:
    found = set()
    for module_info in pkgutil.iter_modules(services.__path__):
        module = importlib.import_module(f"{services.__name__}.{module_info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and not name.startswith("_")
                and value.__module__ == module.__name__
                and name not in {"require_officer", "require_member", "check_draft", "text_problem"}
            ):
                found.add(name)
    return found


@pytest.fixture
def write_calls(group, admin, signatories, make_ballot):
    """Each public write service called once, with the audit action it must record last."""
    people = PersonFactory.create_batch(3)
    for person in people:
        RollEntry.objects.create(group=group, person=person, status="core")

    def draft() -> Ballot:
        return services.ballot_create(group=group, draft=GOOD, actor=admin)

    def scheduled() -> Ballot:
        return services.ballot_schedule(ballot=draft(), actor=admin)

    def closed() -> Ballot:
        ballot = make_ballot(publish_on_close=False, title="To publish")
        return close_by_the_clock(ballot)

    open_ballot = make_ballot(title="Open")
    due = make_ballot(open_now=False, title="Due")
    return {
        "ballot_create": (lambda: draft(), "ballots.ballot.drafted"),
        "ballot_update": (
            lambda: services.ballot_update(ballot=draft(), draft=drafted(title="New"), actor=admin),
            "ballots.ballot.changed",
        ),
        "ballot_schedule": (
            lambda: services.ballot_schedule(ballot=draft(), actor=admin),
            "ballots.ballot.scheduled",
        ),
        "ballot_unschedule": (
            lambda: services.ballot_unschedule(ballot=scheduled(), actor=admin),
            "ballots.ballot.unscheduled",
        ),
        "ballot_publish": (
            lambda: services.ballot_publish(ballot=closed(), actor=admin),
            "ballots.ballot.published",
        ),
        "ballot_cast": (
            lambda: services.ballot_cast(
                ballot=open_ballot, user=signatories[0], content={"choice": option_ids(open_ballot)[0]}
            ),
            "ballots.vote.cast",
        ),
        "advance": (lambda: services.advance(ballot=due, now=due.opens_at), "ballots.ballot.opened"),
        "ballot_cancel": (
            lambda: services.ballot_cancel(
                ballot=make_ballot(title="Cancel"), reason="Withdrawn", actor=admin
            ),
            "ballots.ballot.cancelled",
        ),
        "ballot_extend": (
            lambda: services.ballot_extend(
                ballot=open_ballot, closes_at=open_ballot.closes_at + timedelta(days=1), actor=admin
            ),
            "ballots.ballot.extended",
        ),
        "show_of_hands_record": (
            lambda: services.show_of_hands_record(
                group=group,
                title="T",
                question="Q",
                meeting="M",
                held_on=timezone.localdate(),
                hands=[("For", 2), ("Against", 1)],
                present=people,
                actor=admin,
            ),
            "ballots.hands.recorded",
        ),
    }


@pytest.mark.django_db
def test_every_public_ballot_write_service_records_an_audit_entry_last(write_calls):
    assert _public_functions() == set(write_calls) | READS | DELEGATES, "a service is not classified here"
    for name, (call, action) in write_calls.items():
        call()
        last = AuditEntry.objects.order_by("-pk").first()
        assert last is not None and last.action == action, name


@pytest.mark.django_db
def test_changing_a_draft_is_on_the_record(group, admin):
    ballot = services.ballot_create(group=group, draft=GOOD, actor=admin)
    services.ballot_update(
        ballot=ballot, draft=drafted(title="Renamed", method="single", options=["A", "B"]), actor=admin
    )
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry is not None and entry.action == "ballots.ballot.changed" and entry.actor == admin
    assert entry.data == {"title": "Renamed", "options": ["A", "B"]}


HANDS = [
    ({"title": "Bad\x00"}, "The title contains a character that cannot be stored."),
    ({"question": "x" * 10_001}, "The question must be 10,000 characters or fewer"),
    ({"meeting": ""}, "Give a title, the question put, and the meeting."),
    ({"hands": [("For", 1), ("For", 1)]}, "Give at least two options, each with its own label."),
    ({"hands": [("For", 1), ("<b>\x00</b>", 1)]}, "An option contains a character that cannot be stored."),
    ({"hands": [("For", "2"), ("Against", 1)]}, "Give each count of hands as a whole number."),
    ({"hands": [("For", -1), ("Against", 1)]}, "Counts cannot be negative."),
    ({"hands": [("For", 3), ("Against", 1)]}, "More hands (4) than people present (3)."),
    ({"held_on": "yesterday"}, "Give the date of the meeting."),
    ({"held_on": timezone.localdate() + timedelta(days=1)}, "The meeting date cannot be in the future."),
    ({"present": []}, "Say who was present."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), HANDS)
def test_a_refused_show_of_hands_changes_nothing(group, admin, unchanged, changes, message):
    people = PersonFactory.create_batch(3)
    for person in people:
        RollEntry.objects.create(group=group, person=person, status="core")
    fields: dict[str, Any] = {
        "group": group,
        "title": "Winter letter",
        "question": "Sign it?",
        "meeting": "Core group",
        "held_on": timezone.localdate(),
        "hands": [("For", 2), ("Against", 1)],
        "present": people,
        "actor": admin,
    }
    fields.update(changes)
    with unchanged(), pytest.raises(services.BallotError) as refusal:
        services.show_of_hands_record(**fields)
    assert any(problem.startswith(message) for problem in refusal.value.problems), refusal.value.problems
