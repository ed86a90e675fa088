"""load-scale at tiny sizes: counts, consistency with the services, and a second run refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.ballots import sealing
from gpvoice.ballots.models import Ballot, Elector, SealedChoice, Status, Vote
from gpvoice.ballots.services import Draft, advance, ballot_cast, ballot_create, ballot_schedule
from gpvoice.core import audit
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, OrgType, Person
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance.models import MandateAnswer, MandateRound
from gpvoice.nonprod.scale import Options, load_scale
from gpvoice.nonprod.scale.ballots import plan_ballots, split
from gpvoice.operations.backups.checks import row_counts, verify

SMALL = {"practices": 40, "people": 150, "ballots": 12, "choices": 200}
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL run needs DATABASE_URL=postgres://"
)


def _run(tmp_path: Path, **sizes: int) -> None:
    load_scale(Options(data_dir=tmp_path, synthetic=True, **(SMALL | sizes)), report=lambda part: None)


def _check_small_run() -> None:
    practices = Organisation.objects.filter(org_type=OrgType.PRACTICE)
    assert practices.count() == 40 and all(p.ods_code.startswith("Q0") for p in practices)
    # 40 practices are 1 ICB and 1 sub-ICB location at national proportions (106 and 36 of 6,168).
    groups = LeadershipGroup.objects.filter(slug__startswith="scale-")
    assert groups.count() == 3
    national = groups.get(slug="scale-england")
    assert footprint_practices(group=national).count() == 40
    assert Person.objects.count() == 150
    assert Ballot.objects.count() == 12
    assert Vote.objects.count() + SealedChoice.objects.count() == 200
    assert Ballot.objects.filter(is_secret=True).count() == 2  # ballots 5 and 10
    assert Ballot.objects.filter(status=Status.OPEN).count() == 2  # ballots 9 and 10
    rounds = MandateRound.objects.all()
    assert rounds.count() == 3
    for round in rounds:  # half of each footprint answered
        assert MandateAnswer.objects.filter(round=round).count() == 20
    _check_events(national)
    from gpvoice.representation.models import Forum, ReportBack

    assert Forum.objects.count() == 12 and ReportBack.objects.count() == 12 * 11  # 4 forums a group
    checks = verify()
    assert all(c.ok for c in checks), [c.detail for c in checks]
    assert audit.verify_chain().ok


def _check_events(national: LeadershipGroup) -> None:
    """A national session booked five to a place: exactly capacity booked, the rest waiting."""
    from gpvoice.events.models import Booking, Session

    session = Session.objects.get(group=national)
    bookings = Booking.objects.filter(session=session)
    assert bookings.count() >= 5 * session.capacity
    assert session.booked == session.capacity == bookings.filter(status="booked").count()
    assert session.queued == bookings.count()


@pytest.mark.django_db
def test_a_small_run_makes_what_was_asked_and_verifies(tmp_path):
    _run(tmp_path)
    _check_small_run()


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_a_small_run_on_postgresql_makes_what_was_asked_and_verifies(tmp_path):
    parts: list[str] = []
    options = Options(data_dir=tmp_path, synthetic=True, **SMALL)
    load_scale(options, report=lambda part: parts.append(part.name))
    _check_small_run()
    # The last step gathered the planner's statistics: PostgreSQL now knows the tables' sizes.
    assert parts[-1] == "planner statistics"
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'directory_organisation'")
        assert cursor.fetchone()[0] == Organisation.objects.count()


@pytest.mark.django_db
def test_a_second_run_is_refused_and_changes_nothing(tmp_path, capsys):
    args = ["load-scale", "--synthetic", f"--data-dir={tmp_path}"] + [f"--{k}={v}" for k, v in SMALL.items()]
    call_command(*args)
    out = capsys.readouterr().out
    assert "ballots:" in out and "bulk" in out and "service" in out and "choices: 200" in out
    before = row_counts()
    with pytest.raises(CommandError, match="already run against this database"):
        call_command(*args)
    assert row_counts() == before


def _twin(ballot: Ballot, admin: User) -> Ballot:
    """The same ballot drafted, scheduled and opened through the services, open now."""
    now = timezone.now()
    options = list(ballot.options.values_list("label", flat=True))
    draft = Draft(
        title=f"Twin of {ballot.title}",
        question=ballot.question,
        method=ballot.method,
        electorate=ballot.electorate,
        weighting=ballot.weighting,
        is_secret=ballot.is_secret,
        options=options,
        points_allowance=ballot.points_allowance,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
    )
    twin = ballot_create(group=ballot.group, draft=draft, actor=admin)
    return advance(ballot=ballot_schedule(ballot=twin, actor=admin))


def _as_labels(ballot: Ballot, result: object) -> object:
    """A result with each option id (a key or a value) written as its label, to compare twins."""
    labels = {str(o.pk): o.label for o in ballot.options.all()}
    if isinstance(result, dict):
        return {labels.get(k, k): _as_labels(ballot, v) for k, v in result.items()}
    if isinstance(result, list):
        return [_as_labels(ballot, v) for v in result]
    return labels.get(result, result) if isinstance(result, str) else result


def _casts(ballot: Ballot) -> list[tuple[Any, int, dict]]:
    """(practice, user, content) of each current cast. A secret ballot's choices are matched to
    their electors by the seal, which exists only while the ballot is open."""
    if not ballot.is_secret:
        return list(
            Vote.objects.filter(ballot=ballot, is_current=True).values_list(
                "elector__practice_id", "cast_by_id", "content"
            )
        )
    by_seal = dict(SealedChoice.objects.filter(ballot=ballot).values_list("seal", "content"))
    out = []
    for elector in Elector.objects.filter(ballot=ballot, participation__isnull=False).select_related(
        "participation"
    ):
        content = by_seal[sealing.seal(ballot_id=ballot.pk, elector_id=elector.pk)]
        out.append((elector.practice_id, elector.participation.cast_by_id, content))
    return out


def _on_twin(content: dict, twin_option: dict[int, str], position: dict[str, int]) -> dict:
    """The same choice, naming the twin's options (matched by their place on the ballot)."""

    def moved(option_id: str) -> str:
        return twin_option[position[option_id]]

    if "choice" in content:
        return {"choice": moved(content["choice"])}
    for key in ("approved", "ranking"):
        if key in content:
            return {key: [moved(i) for i in content[key]]}
    if "points" in content:
        return {"points": {moved(k): v for k, v in content["points"].items()}}
    return content


@pytest.mark.django_db
@pytest.mark.parametrize("secret", [False, True])
def test_bulk_casts_count_exactly_as_the_same_casts_made_through_the_service(tmp_path, secret):
    """Replay an open bulk ballot's casts through ballot_cast into a twin drafted through the
    services; close both through the service: the results are the same, figure for figure."""
    _run(tmp_path, ballots=20, choices=400)
    ballot = Ballot.objects.get(
        status=Status.OPEN, is_secret=secret, title="Scale ballot " + ("10" if secret else "9")
    )
    admin = User.objects.get(email=f"admin@{ballot.group.slug}.scale.example.nhs.uk")
    twin = _twin(ballot, admin)
    assert twin.status == Status.OPEN, (twin.status, twin.opens_at, twin.closes_at)
    twin_option = {o.position: str(o.pk) for o in twin.options.all()}
    position = {str(o.pk): o.position for o in ballot.options.all()}
    casts = _casts(ballot)
    assert len(casts) > 10
    for practice_id, user_id, content in casts:
        ballot_cast(
            ballot=twin,
            user=User.objects.get(pk=user_id),
            content=_on_twin(content, twin_option, position),
            practice=Organisation.objects.get(pk=practice_id),
        )
    after = timezone.now() + timedelta(days=30)
    closed, twin_closed = advance(ballot=ballot, now=after), advance(ballot=twin, now=after)
    assert closed.status == twin_closed.status == Status.PUBLISHED
    assert closed.result["turnout"]["count"] == len(casts)
    assert _as_labels(closed, closed.result) == _as_labels(twin_closed, twin_closed.result)


def test_casts_are_shared_in_proportion_and_never_above_an_electorate():
    assert split(10, [5, 5]) == [5, 5]  # room for exactly all
    assert split(100, [5, 5]) == [5, 5]  # less room than asked: every elector votes
    assert split(6, [10, 5, 5]) == [3, 2, 1] or split(6, [10, 5, 5]) == [3, 1, 2]
    assert sum(split(999, [6157, 58, 171, 3])) == 999


def test_ballots_move_to_the_largest_group_until_the_casts_fit():
    # Spread evenly, 3 groups x 2 ballots can hold 2*(100+10+10)=240 electors; 80% of that is 192.
    assert plan_ballots([100, 10, 10], 6, 190) == [2, 2, 2]
    # 400 casts need room 500: move from the small groups (keeping one each) to the large one.
    assert plan_ballots([100, 10, 10], 6, 400) == [4, 1, 1]
    assert plan_ballots([10, 100], 2, 10_000) == [1, 1]  # nothing left to move: best effort
