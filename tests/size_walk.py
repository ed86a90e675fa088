"""Helpers for tests/test_size_independence.py: grow a group's world in bulk, and measure a page.

``grow`` adds, in bulk (never through the services: it is test data, and the services are not
what is measured), what a group's lists are made of: practices in its footprint and outside it,
people with appointments and declarations, members, roll entries, mandate answers, ballot electors
and votes, priority nominations and delivery updates, requests, decisions, audit entries and API
tokens. Called twice with different sizes, it lets the walk compare every page at two volumes.

``measure`` counts, for one GET, the queries, the rows the database handed back and the bytes of
the response: three figures that do not depend on the machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.backends import utils as db_utils
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


@dataclass(frozen=True)
class Cost:
    status: int
    queries: int
    rows: int
    bytes: int


# Counting rows ---------------------------------------------------------------------------------


class _RowCounter:
    def __init__(self) -> None:
        self.rows = 0


@contextmanager
def counting_rows() -> Iterator[_RowCounter]:
    """Count every row fetched through Django's cursor wrapper (all backends, all fetch styles)."""
    counter = _RowCounter()
    wrapper = db_utils.CursorWrapper
    saved = {name: wrapper.__dict__.get(name) for name in ("fetchone", "fetchmany", "fetchall", "__iter__")}

    def fetchone(self: Any) -> Any:
        row = self.cursor.fetchone()
        counter.rows += row is not None
        return row

    def fetchmany(self: Any, size: int | None = None) -> Any:
        rows = self.cursor.fetchmany(size) if size is not None else self.cursor.fetchmany()
        counter.rows += len(rows)
        return rows

    def fetchall(self: Any) -> Any:
        rows = self.cursor.fetchall()
        counter.rows += len(rows)
        return rows

    def iterate(self: Any) -> Iterator[Any]:
        for row in self.cursor:
            counter.rows += 1
            yield row

    patches = {"fetchone": fetchone, "fetchmany": fetchmany, "fetchall": fetchall, "__iter__": iterate}
    for name, function in patches.items():
        setattr(wrapper, name, function)
    try:
        yield counter
    finally:
        for name, original in saved.items():
            if original is None:
                delattr(wrapper, name)
            else:
                setattr(wrapper, name, original)


def measure(client: Any, url: str) -> Cost:
    with CaptureQueriesContext(connection) as queries, counting_rows() as counter:
        response = client.get(url)
        if getattr(response, "streaming", False):
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
    return Cost(response.status_code, len(queries.captured_queries), counter.rows, size)


@contextmanager
def walk_database() -> Iterator[None]:
    """pytest-django creates the test database only when a test asks for ``db``; a module-scoped
    fixture creates it here when it runs first (as tests/browser/a11y does), never touching a real one."""
    from django.test.utils import setup_databases, teardown_databases

    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():  # type: ignore[attr-defined]
        yield
        return
    config = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
    try:
        yield
    finally:
        teardown_databases(config, verbosity=0)


# Growing the world -----------------------------------------------------------------------------

GROWTH_ICB = "Q9X"  # codes no real file uses (real ICBs are Q + two letters + digit-free? no: QXX)
PRACTICES_PER_PCN = 20
GROWN = "Growth"  # the start of every grown record's title: samples leave them out


def _code(prefix: str, n: int, width: int) -> str:
    return f"{prefix}{n:0{width}d}"


def grow(group: Any, *, start: int, count: int) -> None:
    """Add ``count`` of each kind of row to ``group``'s world, numbered from ``start`` (so that
    two calls make distinct rows)."""
    if count <= 0:
        return
    numbers = range(start, start + count)
    practices = _practices(group, numbers)
    people = _people(practices, numbers)
    users = _members(group, people, numbers)
    _governance(group, people, practices, users[0], numbers)
    _ballots(group, practices, users[0])
    _priorities(group, users[0], practices, numbers)
    _requests(group, numbers)
    _audit(group, numbers)
    _tokens(group, users[0], numbers)
    _engagement(group, practices, people, users[0], numbers)
    _sounding_board(group, practices, numbers)
    _sessions(group, users, numbers)
    _representation(group, people, users[0], numbers)
    _named_publicly(group, users)


def _named_publicly(group: Any, users: list[Any]) -> None:
    """Half the grown members agree to be named on the public page: its members list must page."""
    from django.utils import timezone

    from gpvoice.core.models import Membership

    Membership.objects.filter(group=group, user__in=users[::2]).update(named_publicly_at=timezone.now())


def _practices(group: Any, numbers: range) -> list[Any]:
    from gpvoice.directory.models import FootprintEntry, Organisation, OrgType

    region = Organisation.objects.filter(org_type=OrgType.REGION).first()
    icb, made = Organisation.objects.get_or_create(
        org_type=OrgType.ICB, ods_code=GROWTH_ICB, defaults={"name": "Growth ICB", "region": region}
    )
    if made:
        FootprintEntry.objects.create(group=group, organisation=icb)
    outside, _ = Organisation.objects.get_or_create(
        org_type=OrgType.ICB, ods_code="Q9Y", defaults={"name": "Elsewhere ICB", "region": region}
    )
    sub_icb, _ = Organisation.objects.get_or_create(
        org_type=OrgType.SUB_ICB, ods_code="9X9", defaults={"name": "Growth Sub-ICB", "icb": icb}
    )
    pcns = {}
    for n in numbers:
        index = n // PRACTICES_PER_PCN
        if index not in pcns:
            pcns[index] = Organisation.objects.get_or_create(
                org_type=OrgType.PCN,
                ods_code=_code("U9X", index, 3),
                defaults={"name": f"Growth PCN {index:03d}", "sub_icb": sub_icb, "icb": icb},
            )[0]
    inside = Organisation.objects.bulk_create(
        Organisation(
            org_type=OrgType.PRACTICE,
            ods_code=_code("Z8", n, 4),
            name=f"Growth Surgery {n:04d}",
            pcn=pcns[n // PRACTICES_PER_PCN],
            sub_icb=sub_icb,
            icb=icb,
            region=region,
            list_size=5000 + n,
            list_size_date=date(2026, 4, 1),
            postcode=f"ZZ9 {n % 10}ZZ",
        )
        for n in numbers
    )
    Organisation.objects.bulk_create(
        Organisation(
            org_type=OrgType.PRACTICE,
            ods_code=_code("Z7", n, 4),
            name=f"Elsewhere Surgery {n:04d}",
            icb=outside,
            region=region,
            list_size=4000 + n,
        )
        for n in numbers
    )
    return inside


def _people(practices: list[Any], numbers: range) -> list[Any]:
    from gpvoice.directory.models import Appointment, Declaration, Person, RoleType

    people = Person.objects.bulk_create(
        Person(full_name=f"Growth Person {n:04d}", email=f"growth.{n}@nhs.test") for n in numbers
    )
    Appointment.objects.bulk_create(
        Appointment(
            person=person,
            organisation=practice,
            role=RoleType.PRACTICE_MANAGER if i % 2 else RoleType.PRACTICE_PARTNER,
            is_signatory=True,
            start=date(2020, 4, 1),
        )
        for i, (person, practice) in enumerate(zip(people, practices, strict=True))
    )
    Declaration.objects.bulk_create(
        Declaration(person=person, interest="Director of a growth company", nature="Financial")
        for person in people[::2]
    )
    return people


def _members(group: Any, people: list[Any], numbers: range) -> list[Any]:
    from gpvoice.accounts.models import User
    from gpvoice.core.models import Membership, Role

    users = User.objects.bulk_create(
        User(email=f"growth.{n}@nhs.test", full_name=f"Growth Person {n:04d}") for n in numbers
    )
    roles = [Role.CORE, Role.PRACTICE_STAFF, Role.ATTENDEE, Role.OBSERVER]
    Membership.objects.bulk_create(
        Membership(group=group, user=user, role=roles[i % len(roles)]) for i, user in enumerate(users)
    )
    for person, user in zip(people, users, strict=True):
        person.user = user
    type(people[0]).objects.bulk_update(people, ["user"])
    return users


def _governance(group: Any, people: list[Any], practices: list[Any], actor: Any, numbers: range) -> None:
    from gpvoice.governance.models import (
        DecisionCategory,
        DecisionStatus,
        ExecutiveDecision,
        MandateAnswer,
        MandateRound,
        RollEntry,
        RollStatus,
    )

    RollEntry.objects.bulk_create(
        RollEntry(group=group, person=person, status=RollStatus.choices[0][0], basis="Growth")
        for person in people
    )
    round = MandateRound.objects.filter(group=group).order_by("-number").first()
    if round is not None:
        MandateAnswer.objects.bulk_create(
            MandateAnswer(
                round=round,
                practice=practice,
                answer=MandateAnswer._meta.get_field("answer").choices[0][0],  # type: ignore[index]
                answered_by=person,
                created_by=actor,
            )
            for practice, person in list(zip(practices, people, strict=True))[::2]
        )
    category = DecisionCategory.objects.filter(group=group).first()
    if category is not None:
        ExecutiveDecision.objects.bulk_create(
            ExecutiveDecision(
                group=group,
                category=category,
                title=f"Growth decision {n:04d}",
                rationale="Because.",
                status=DecisionStatus.choices[0][0],
                decided_by=actor,
            )
            for n in numbers
        )


def _ballots(group: Any, practices: list[Any], actor: Any) -> None:
    """Every practice ballot of the group gets the new practices as electors; half of them vote
    (as the ballot's first vote did), or take part (a secret ballot). And a vote recorded in a
    meeting for every practice, for the list of ballots."""
    from gpvoice.ballots.models import Ballot, Elector, Electorate, Kind, Participation, Status, Vote

    ballots = list(
        Ballot.objects.filter(group=group, electorate=Electorate.PRACTICES).exclude(status=Status.DRAFT)
    )
    Ballot.objects.bulk_create(
        Ballot(
            group=group,
            title=f"{GROWN} vote {p.ods_code}",
            question="Agree?",
            kind=Kind.RECORDED,
            status=Status.PUBLISHED,
            meeting="Core group",
            held_on=date(2026, 1, 1),
            created_by=actor,
        )
        for p in practices
    )
    for ballot in ballots:
        electors = Elector.objects.bulk_create(
            Elector(
                ballot=ballot,
                practice=practice,
                pcn=practice.pcn,
                label=practice.name,
                weight=practice.list_size or 1,
            )
            for practice in practices
        )
        if ballot.is_secret:
            Participation.objects.bulk_create(
                Participation(ballot=ballot, elector=e, cast_by=actor) for e in electors[::2]
            )
            continue
        sample = Vote.objects.filter(ballot=ballot).first()
        if sample is not None:
            Vote.objects.bulk_create(
                Vote(ballot=ballot, elector=e, content=sample.content, cast_by=actor) for e in electors[::2]
            )


def _priorities(group: Any, actor: Any, practices: list[Any], numbers: range) -> None:
    from gpvoice.priorities.models import AdoptedPriority, DeliveryUpdate, Nomination, PriorityRound

    for round in PriorityRound.objects.filter(group=group):
        Nomination.objects.bulk_create(
            Nomination(
                round=round,
                title=f"Growth idea {n:04d}",
                rationale="It would help.",
                proposed_by=actor,
                proposer_name="Growth Person",
                on_behalf_of=practice,
            )
            for n, practice in zip(numbers, practices, strict=True)
        )
    for priority in AdoptedPriority.objects.filter(round__group=group):
        DeliveryUpdate.objects.bulk_create(
            DeliveryUpdate(priority=priority, status=priority.status, text=f"Update {n}", created_by=actor)
            for n in numbers
        )


def _requests(group: Any, numbers: range) -> None:
    from gpvoice.intake.models import AccessRequest, Status

    now = timezone.now()
    # Three in four open, so that the small world already fills the queue's first page.
    statuses = [Status.RECEIVED, Status.TRIAGED, Status.IN_PROGRESS, Status.CLOSED]
    AccessRequest.objects.bulk_create(
        AccessRequest(
            group=group,
            reference=f"SPA-2020-{n:05d}",
            status=statuses[n % len(statuses)],
            organisation_name="Growth ICB",
            requester_name="Sam Grower",
            requester_email="sam@grow.nhs.test",
            subject=f"Growth request {n:04d}",
            body="What is asked.",
            received_at=now - timedelta(days=n % 30),
            created_at=now - timedelta(days=n % 30),
            due_on=(now + timedelta(days=10)).date(),
        )
        for n in numbers
    )
    # A bulk writer that bypasses the services recounts what they keep (operations.derived).
    from gpvoice.intake import kept

    kept.rebuild(group)


def _sounding_board(group: Any, practices: list[Any], numbers: range) -> None:
    """Plans of every status, each with the demo core member as reviewer: the officers' list and the
    member's "plans you are reviewing" and home to-do grow with them."""
    from gpvoice.accounts.models import User
    from gpvoice.soundingboard.models import Assignment, Status, Submission

    reviewer = User.objects.filter(email=f"core@{group.slug}.example.nhs.uk").first()
    statuses = [Status.SUBMITTED, Status.IN_REVIEW, Status.IN_REVIEW, Status.WITHDRAWN]
    submissions = Submission.objects.bulk_create(
        Submission(
            group=group,
            organisation=practices[i % len(practices)],
            title=f"Growth plan {n:04d}",
            plan="What we plan.",
            perspectives=["funder"],
            status=statuses[n % len(statuses)],
        )
        for i, n in enumerate(numbers)
    )
    if reviewer is not None:
        Assignment.objects.bulk_create(Assignment(submission=s, reviewer=reviewer) for s in submissions)


def _audit(group: Any, numbers: range) -> None:
    from gpvoice.core.models import AuditChain, AuditEntry

    chain = AuditChain.objects.get(group=group)
    first = chain.last_sequence + 1
    entries = [
        AuditEntry(
            chain=chain,
            sequence=first + i,
            actor_label="growth@nhs.test",
            group=group,
            action="growth.made",
            object_type="growth",
            object_id=str(n),
            previous_hash="0" * 64,
            entry_hash=hashlib.sha256(f"growth-{group.pk}-{n}".encode()).hexdigest(),
        )
        for i, n in enumerate(numbers)
    ]
    AuditEntry.objects.bulk_create(entries)
    AuditChain.objects.filter(pk=chain.pk).update(
        last_sequence=first + len(entries) - 1, last_hash=entries[-1].entry_hash
    )


def _tokens(group: Any, actor: Any, numbers: range) -> None:
    from gpvoice.api.models import ApiToken

    now = timezone.now()
    ApiToken.objects.bulk_create(
        ApiToken(
            group=group,
            name=f"Growth token {n:04d}",
            prefix=f"grow{n:05d}",
            token_hash=hashlib.sha256(str(n).encode()).hexdigest(),
            created_by=actor,
            expires_at=now + timedelta(days=30),
        )
        for n in numbers
    )


def _sessions(group: Any, users: list[Any], numbers: range) -> None:
    """A session per number, and the sample session's waiting list grown by one booking each."""
    from gpvoice.events.models import Booking, Session

    from .test_authorisation import _session

    sample = _session(group)
    start = timezone.now() + timedelta(days=30)
    Session.objects.bulk_create(
        Session(
            group=group,
            title=f"Growth session {n:04d}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=10,
            opens_at=start - timedelta(days=20),
            closes_at=start - timedelta(days=1),
            cancel_by=start - timedelta(days=2),
        )
        for n in numbers
    )
    Booking.objects.bulk_create(
        Booking(session=sample, user=user, status="waiting", position=100_000 + n)
        for n, user in zip(numbers, users, strict=False)
    )


def _representation(group: Any, people: list[Any], actor: Any, numbers: range) -> None:
    """Forums each with a held seat; and in the demo's first forum, seats, old meetings (half
    reported back, long before the last group meeting), briefing items on its next meeting;
    positions on its topics, published."""
    from gpvoice.directory.models import Organisation, OrgType
    from gpvoice.representation.models import (
        BriefingItem,
        Forum,
        ForumMeeting,
        Position,
        ReportBack,
        Seat,
        SeatAppointment,
    )

    today = timezone.localdate()
    organiser = Organisation.objects.filter(org_type=OrgType.ICB).order_by("pk").first()
    first = Forum.objects.filter(group=group).exclude(name__startswith=GROWN).order_by("pk").first()
    if organiser is None or first is None:
        return
    forums = Forum.objects.bulk_create(
        Forum(group=group, name=f"{GROWN} forum {n:04d}", organiser=organiser, topics="Urgent care")
        for n in numbers
    )
    seats = Seat.objects.bulk_create(Seat(forum=f, title="GP member") for f in forums)
    Seat.objects.bulk_create(Seat(forum=first, title=f"{GROWN} seat {n:04d}") for n in numbers)
    SeatAppointment.objects.bulk_create(
        SeatAppointment(
            seat=seat,
            person=person,
            holder="representative",
            starts_on=today - timedelta(days=30),
            term_ends_on=today + timedelta(days=30),
        )
        for seat, person in zip(seats, people, strict=True)
    )
    old = [today - timedelta(days=2000 + n) for n in numbers]
    meetings = ForumMeeting.objects.bulk_create(
        ForumMeeting(forum=first, on=on, briefing_due_on=on, report_due_on=on + timedelta(days=10))
        for on in old
    )
    ReportBack.objects.bulk_create(
        ReportBack(
            meeting=m,
            discussed="Grown",
            positions_held="none",
            filed_at=timezone.now() - timedelta(days=1900),
        )
        for m in meetings[::2]
    )
    Position.objects.bulk_create(
        Position(
            group=group,
            topic="Urgent care",
            statement=f"{GROWN} position {n:04d}",
            basis_kind="other",
            basis_label="Grown",
            agreed_on=today - timedelta(days=10),
            review_on=today + timedelta(days=100),
            published=True,
        )
        for n in numbers
    )
    ahead = ForumMeeting.objects.filter(forum=first, on__gte=today).order_by("on").first()
    if ahead is not None:
        BriefingItem.objects.bulk_create(
            BriefingItem(meeting=ahead, kind="ask", text=f"{GROWN} ask {n:04d}", added_by=actor)
            for n in numbers
        )


def _engagement(group: Any, practices: list[Any], people: list[Any], actor: Any, numbers: range) -> None:
    """Consultations and bulletins in the lists; answers to the demo's relationship check from the
    grown practices (so its PCN breakdown grows), copies of its first bulletin, and the kept
    engagement figures of every grown practice and PCN."""
    from gpvoice.engagement.models import (
        AnswerCount,
        Bulletin,
        BulletinDelivery,
        Consultation,
        PcnEngagement,
        PracticeEngagement,
        Response,
    )

    now = timezone.now()
    Consultation.objects.bulk_create(
        Consultation(group=group, title=f"{GROWN} consultation {n:04d}", status="closed", closes_at=now)
        for n in numbers
    )
    Bulletin.objects.bulk_create(
        Bulletin(group=group, title=f"{GROWN} bulletin {n:04d}", body="News", status="sent", sent_at=now)
        for n in numbers
    )
    check = Consultation.objects.filter(group=group, template="relationship").first()
    if check is not None:
        stance = check.questions.get(key="stance")
        Response.objects.bulk_create(
            Response(
                consultation=check,
                practice=practice,
                pcn_id=practice.pcn_id,
                person=person,
                answers={str(stance.pk): "friends"},
                created_by=actor,
            )
            for practice, person in zip(practices, people, strict=True)
        )
        pcns = sorted({p.pcn_id for p in practices})
        AnswerCount.objects.bulk_create(
            AnswerCount(question=stance, pcn_id=pcn, value="friends", count=1) for pcn in pcns
        )
    first = Bulletin.objects.filter(group=group).exclude(title__startswith=GROWN).order_by("pk").first()
    if first is not None:
        BulletinDelivery.objects.bulk_create(
            BulletinDelivery(bulletin=first, person=person, address=person.email, state="sent")
            for person in people
        )
    year = timezone.localdate().year
    figures = {"engagement.responded": [1, 2]}
    PracticeEngagement.objects.bulk_create(
        PracticeEngagement(
            group=group, year=year, practice=p, pcn_id=p.pcn_id, figures=figures, took=1, asked=2, share=0.5
        )
        for p in practices
    )
    PcnEngagement.objects.bulk_create(
        PcnEngagement(
            group=group, year=year, pcn_id=pcn, practices=1, figures=figures, took=1, asked=2, share=0.5
        )
        for pcn in sorted({p.pcn_id for p in practices})
        if not PcnEngagement.objects.filter(group=group, year=year, pcn_id=pcn).exists()
    )
