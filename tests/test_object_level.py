"""Object-level authorisation: another group's ids inside my own group's URLs (issue 9, item 2).

test_authorisation swaps the slug; this walk keeps the member's OWN slug and puts into every
route's id and code parameters values that belong to ANOTHER group, and to no group at all, with
GET and with POST; then it POSTs to every route bodies that carry another group's ids. Every
case is a 404 or a refusal, shows none of the other group's names or people, and changes no row
in any of our apps (the audit log included).

The parameters come from the URL configuration: a new route is walked without anyone adding it,
and a route whose parameter has no sample here fails, saying which samples to add.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.apps import apps

from gpvoice.core.models import Role

from .test_authorisation import OWN_ROUTES, SAMPLE_ARGS, _intake_request, _samples, _to_url

OUR_APPS = (
    "core",
    "accounts",
    "directory",
    "governance",
    "ballots",
    "priorities",
    "api",
    "jobs",
    "intake",
    "notifications",
    "meetings",
    "soundingboard",
    "events",
    "glance",
    "representation",
    "engagement",
)
# Parameters naming a record that belongs to one group: another group's, or none, is a 404.
PRIVATE = (
    "membership_id",
    "person_id",
    "terms_id",
    "ballot_id",
    "round_id",
    "priority_id",
    "reference",
    "file_id",
    "meeting_id",
    "paper_id",
    "category_id",
    "entry_id",
    "submission_id",
    "document_id",
    "session_id",
    "forum_id",
    "seat_id",
    "forum_meeting_id",
    "position_id",
    "consultation_id",
    "bulletin_id",
)
# NHS reference data, readable to every signed-in member through any of their groups (issue 9,
# item 1): another group's practice is a 200 that names neither that group nor its people.
REFERENCE = ("practice_code", "pcn_code", "org_id")
# Routes where a reference code names something the group acts on, not just reads: another
# group's (or no group's) practice is a 404 there, and why.
ACTS_ON_OWN = {
    "g/<slug:slug>/appointments/<str:practice_code>/": "appointments are managed at the group's practices",
}
# Parameters that name no group's record, and why.
UNSCOPED = {
    "slug": "the group itself: a slug swap is test_authorisation's walk",
    "token": "an invitation's secret is its own capability, whoever's group it is for",
    "path": "the NHS.UK design system's static files",
}
# What another group's records may show through my group's pages: nothing of this.
SECRETS = (
    "Southmere",
    "Dr Secret Partner",
    "secret.partner@south.test",
    "07700 900123",
    "Hidden Holdings",
)
NO_SUCH_ID = 10**9


def _params(route: str) -> list[str]:
    """The parameter names in a route, whether written <int:name> or (?P<name>...)."""
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


PARAM_ROUTES = [(r, cb) for r, cb in OWN_ROUTES if set(_params(r)) - {"slug"}]
GROUP_ROUTES = [(r, cb) for r, cb in OWN_ROUTES if isinstance(getattr(cb, "access", None), tuple)]


def _missing_samples(routes: list[str]) -> list[str]:
    names = {name for route in routes for name in _params(route)}
    no_own = sorted(names - set(SAMPLE_ARGS))
    no_foreign = sorted(names - set(PRIVATE) - set(REFERENCE) - set(UNSCOPED))
    problems = []
    if no_own:
        problems.append(
            f"add an own-group sample for {no_own} to SAMPLE_ARGS and _samples() "
            "in tests/test_authorisation.py"
        )
    if no_foreign:
        problems.append(
            f"add another-group and no-group samples for {no_foreign} to _foreign() and _no_group() in "
            "tests/test_object_level.py, and list the name in PRIVATE or REFERENCE (or UNSCOPED, saying why)"
        )
    return problems


def test_every_route_parameter_has_own_and_foreign_samples():
    """A new parameter name fails here until both kinds of sample exist."""
    problems = _missing_samples([route for route, _ in OWN_ROUTES])
    assert not problems, "\n".join(problems)


def test_a_new_parameter_without_samples_is_named():
    problems = _missing_samples(["g/<slug:slug>/meetings/<int:meeting_id>/notes/<int:note_id>/"])
    assert len(problems) == 2 and all("['note_id']" in p for p in problems)


# The other group's world, and records in no group -----------------------------------------------


def _foreign(other_group, outsider) -> dict[str, Any]:
    """Records of another group, with a person who belongs to no group of the member's."""
    from gpvoice.ballots.models import Ballot, Option
    from gpvoice.directory.models import FootprintEntry, OrgType, RoleType
    from gpvoice.directory.tests.factories import AppointmentFactory, DeclarationFactory, OrganisationFactory
    from gpvoice.governance.models import (
        Authority,
        DecisionCategory,
        DecisionStatus,
        ExecutiveDecision,
        RollEntry,
        RollStatus,
    )
    from gpvoice.meetings.models import Action, Invitation
    from gpvoice.priorities.models import Candidate, Nomination
    from gpvoice.representation.models import SeatAppointment

    from .test_authorisation import (
        _bulletin,
        _consultation,
        _meeting,
        _paper,
        _priority_round,
        _published_ballot,
        _representation,
        _sounding_board,
        _terms,
    )

    icb = OrganisationFactory(org_type=OrgType.ICB, ods_code="QYY", name="Southern ICB")
    pcn = OrganisationFactory(org_type=OrgType.PCN, ods_code="U88888", name="Southern PCN", icb=icb)
    practice = OrganisationFactory(ods_code="Z80000", name="Southern Surgery", pcn=pcn, icb=icb)
    footprint = FootprintEntry.objects.create(group=other_group, organisation=pcn)
    partner = AppointmentFactory(
        organisation=practice,
        person__full_name="Dr Secret Partner",
        person__email="secret.partner@south.test",
        person__phone="07700 900123",
    ).person
    AppointmentFactory(organisation=pcn, person=partner, role=RoleType.PCN_CLINICAL_DIRECTOR)
    AppointmentFactory(organisation=icb, person=partner, role=RoleType.ICB_EMPLOYEE)
    DeclarationFactory(person=partner, interest="Hidden Holdings Ltd")
    roll = RollEntry.objects.create(group=other_group, person=partner, status=RollStatus.CORE)
    category = DecisionCategory.objects.create(
        group=other_group,
        name="Southmere category",
        authority=Authority.EXECUTIVE,
        review_date=date(2030, 1, 1),
    )
    decision = ExecutiveDecision.objects.create(
        group=other_group,
        category=category,
        title="Southmere decision",
        rationale="Theirs",
        status=DecisionStatus.TAKEN,
        decided_by=outsider,
    )
    draft = Ballot.objects.create(group=other_group, title="Southmere draft", question="Theirs?")
    option = Option.objects.create(ballot=draft, position=1, label="Southmere option")
    round_ids = _priority_round(other_group, outsider)
    candidate = Candidate.objects.get(round_id=round_ids["round_id"])
    nomination = Nomination.objects.create(
        round_id=round_ids["round_id"], title="Southmere nomination", rationale="x", proposer_name="Them"
    )
    meeting = _meeting(other_group)
    item = meeting.items.get()
    invitation = Invitation.objects.create(
        meeting=meeting, person=partner, status="core", counts_for_quorum=True
    )
    action = Action.objects.create(
        group=other_group, item=item, description="Southmere action", owner=partner, due_on=date(2030, 2, 1)
    )
    theirs = _representation(other_group)
    seat_appointment = SeatAppointment.objects.create(
        seat_id=theirs["seat_id"],
        person=partner,
        holder="representative",
        starts_on=date(2026, 1, 1),
        term_ends_on=date(2030, 1, 1),
    )
    consultation = _consultation(other_group)
    return {
        **theirs,
        "seat_appointment": seat_appointment.pk,
        "consultation_id": consultation.pk,
        "bulletin_id": _bulletin(other_group).pk,
        "consultation_question": consultation.questions.get().pk,
        "meeting_id": meeting.pk,
        "paper_id": _paper(meeting).pk,
        "meeting_item": item.pk,
        "meeting_invitation": invitation.pk,
        "meeting_action": action.pk,
        "membership_id": outsider.memberships.get(group=other_group).pk,
        "practice_code": practice.ods_code,
        "pcn_code": pcn.ods_code,
        "org_id": icb.pk,
        "person_id": partner.pk,
        "terms_id": _terms(other_group).pk,
        "ballot_id": _published_ballot(other_group).pk,
        **round_ids,
        **_foreign_request(other_group),
        "category_id": category.pk,
        "entry_id": footprint.pk,
        **_sounding_board(other_group, practice),
        **_foreign_session(other_group, outsider),
        # Ids that only appear in POST bodies:
        "invitation": _foreign_invitation(other_group, outsider).pk,
        "footprint_entry": footprint.pk,
        "roll_entry": roll.pk,
        "category": category.pk,
        "decision": decision.pk,
        "option": option.pk,
        "candidate": candidate.pk,
        "nomination": nomination.pk,
        "draft_ballot": draft.pk,
    }


def _foreign_session(other_group, outsider) -> dict[str, Any]:
    """Their session with a booking by their admin: its id in my URLs and forms is a 404 or refused."""
    from gpvoice.events.models import Booking

    from .test_authorisation import _session

    session = _session(other_group)
    booking = Booking.objects.create(session=session, user=outsider, status="booked", position=1)
    return {"session_id": session.pk, "session_booking": booking.pk}


def _foreign_invitation(other_group, outsider):
    """An invitation to the other group, not yet accepted (made directly: the outsider's role there
    is the fixture's business)."""
    from datetime import timedelta

    from django.utils import timezone

    from gpvoice.accounts.models import Invitation

    return Invitation.objects.create(
        group=other_group,
        email="secret.partner@south.test",
        role="core",
        token_hash="f" * 64,
        invited_by=outsider,
        expires_at=timezone.now() + timedelta(days=7),
    )


def _foreign_request(other_group) -> dict[str, Any]:
    """Their second request: references count per group, so their first shares my first's number."""
    from gpvoice.intake.tests.factories import received_request

    _intake_request(other_group)
    second = received_request(other_group, with_file=True)
    return {"reference": second.reference, "file_id": second.attachments.get().pk}


def _no_group() -> dict[str, Any]:
    """Reference data no group has chosen, a person in no group's records, ids that exist nowhere."""
    from gpvoice.directory.models import OrgType
    from gpvoice.directory.tests.factories import AppointmentFactory, OrganisationFactory

    icb = OrganisationFactory(org_type=OrgType.ICB, ods_code="QXX", name="Unclaimed ICB")
    pcn = OrganisationFactory(org_type=OrgType.PCN, ods_code="U77777", name="Unclaimed PCN", icb=icb)
    practice = OrganisationFactory(ods_code="Z70000", name="Unclaimed Surgery", pcn=pcn, icb=icb)
    loner = AppointmentFactory(organisation=practice, person__full_name="Dr Secret Partner Two").person
    return {
        "practice_code": practice.ods_code,
        "pcn_code": pcn.ods_code,
        "org_id": icb.pk,
        "person_id": loner.pk,
        **{name: NO_SUCH_ID for name in PRIVATE if name != "person_id"},
    }


def _picking_bodies(f: dict[str, Any]) -> list[dict[str, Any]]:
    """Buttons on list pages that pick a record by its posted id (remove, end, note). On a page
    whose URL names the record (a membership), the same button acts on that record: the URL walk
    covers those with another group's id in the URL."""
    return [
        {"remove": f["footprint_entry"]},
        {"remove": f["membership_id"]},
        {"end": f["roll_entry"]},
        {"note": f["decision"]},
        {"resend": f["invitation"]},
        {"revoke": f["invitation"]},
        # Text that passes str.isdigit() yet is no number, a NUL, a number beyond any integer column:
        *(
            {key: value}
            for key in ("remove", "end", "note", "resend", "revoke")
            for value in ("²", "1\x00", str(2**64))
        ),
    ]


def _hostile_bodies(f: dict[str, Any]) -> list[dict[str, Any]]:
    """Form posts that name another group's records in their fields, one action each."""
    return [
        {"category": f["category"], "title": "Mine", "rationale": "Why", "amount": ""},
        {"category": f["category"], "title": "Mine", "rationale": "Why", "refer": "1"},
        {"practice": f["practice_code"], "answer": "agree"},
        {"practice": f["practice_code"], "choice": f["option"]},
        {"choice": f["option"]},
        {"approved": f["option"]},
        {f"rank-{f['option']}": "1"},
        {f"points-{f['option']}": "10"},
        {
            "title": "Hands",
            "question": "Agree?",
            "meeting": "Core",
            "held_on": "01/02/2026",
            "present": f["person_id"],
            "hands-For": "1",
        },
        {"merge": "1", "nominations": f["nomination"], "into": f["candidate"]},
        {"change": "1", "candidate": f["candidate"], "title": "Renamed"},
        {"candidate": f["candidate"], "lead": f["person_id"], "review_date": "31/03/2030"},
        {"on_behalf_of": f["practice_code"], "title": "Mine", "rationale": "Why"},
        {"action": "publish", "ballot": f["draft_ballot"]},
        {"to_phase": "adoption", "round": f["round_id"]},
        # Meetings: an item, an action or an invitation of another group's meeting, named in a form.
        *({"do": do, "item": f["meeting_item"]} for do in ("up", "down", "remove", "note")),
        {"do": "time", "item": f["meeting_item"], "minutes": "10"},
        {"do": "minutes", "item": f["meeting_item"], "text": "Mine", "version": "0"},
        {"do": "decision", "item": f["meeting_item"], "text": "Mine"},
        {"do": "correct", "item": f["meeting_item"], "text": "Mine", "reason": "Why"},
        {"do": "interest", "item": f["meeting_item"], "nature": "Mine"},
        {
            "do": "action",
            "item": f["meeting_item"],
            "description": "Mine",
            "owner": f["person_id"],
            "due_on": "1/2/2030",
        },
        {"do": "action", "action": f["meeting_action"], "status": "done"},
        {"do": "attendance", "present": f["meeting_invitation"]},
        {"do": "paper", "item": f["meeting_item"]},
        # Sessions: another group's booking removed or marked attended from my session's pages.
        {"do": "remove_booking", "booking": f["session_booking"]},
        {"do": "mark", "attended": f["session_booking"]},
        # Representation: another group's appointment, or a ballot of theirs as a position's basis.
        {"do": "vacate", "appointment": f["seat_appointment"]},
        {
            "topic": "Mine",
            "statement": "Mine",
            "basis_kind": "ballot",
            "basis_ref": f["ballot_id"],
            "agreed_on": "1/1/2026",
            "review_on": "1/1/2027",
        },
        # Engagement: another group's question named in a form.
        {"do": "remove", "question": f["consultation_question"]},
    ]


def _state() -> list[Any]:
    """Every row of every model in our apps: a refused request leaves all of it as it was."""
    return [
        (model._meta.label, list(model.objects.order_by("pk").values_list()))
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
    ]


def _secrets_in(response, where: str) -> list[str]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    leaked = [s for s in SECRETS if s in body]
    return [f"{where} showed another group's {leaked}"] if leaked else []


@pytest.fixture
def world(client, group, other_group, personas, outsider, strong_login):
    own = _samples(group, personas)
    foreign = _foreign(other_group, outsider)
    strong_login(client, personas[Role.ADMIN])  # the most privileged member of the group
    client.raise_request_exception = False  # a crash is reported as a 500 among the problems
    # Pages that create a default row on first read (governance settings) do so now, not mid-test.
    for route, _ in GROUP_ROUTES:
        client.get(_to_url(route).format(**own))
    return {"own": own, "foreign": foreign, "no_group": _no_group()}


def _check_samples(route: str) -> None:
    for name in _params(route):
        if name not in SAMPLE_ARGS or name not in (*UNSCOPED, *PRIVATE, *REFERENCE):
            pytest.fail(
                f"{route}: no sample for parameter {name!r}; see the first test here for where to add it"
            )


def _url_cases(client, world, route: str) -> list[str]:
    """GET and POST the route with each of its parameters in turn set to another group's value and
    to a no-group value (the others stay the member's own). Returns what went wrong."""
    _check_samples(route)
    problems = []
    for name in (n for n in _params(route) if n not in UNSCOPED):
        for whose in ("foreign", "no_group"):
            url = _to_url(route).format(**{**world["own"], name: world[whose][name]})
            before = _state()
            got = client.get(url)
            posted = client.post(url, {"action": "publish", "issue": "1", "remove": "1", "each": "1"})
            if _state() != before:
                problems.append(f"POST {url} ({whose} {name}) changed the database")
            for method, response in (("GET", got), ("POST", posted)):
                where = f"{method} {url} ({whose} {name})"
                expected = (404,) if name in PRIVATE or route in ACTS_ON_OWN else (200, 405)
                if "token" in _params(route):  # a public link whose sample token is no token: gone
                    expected = (*expected, 410)
                if response.status_code not in expected:
                    problems.append(f"{where} got {response.status_code}, expected {expected}")
                problems += _secrets_in(response, where)
    return problems


@pytest.mark.django_db
def test_other_groups_ids_in_my_groups_urls_are_404_and_change_nothing(client, world):
    assert PARAM_ROUTES, "expected routes with id or code parameters"
    problems = [p for route, _ in PARAM_ROUTES for p in _url_cases(client, world, route)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_posts_naming_another_groups_records_are_refused_and_change_nothing(client, world):
    problems = []
    for route, _ in GROUP_ROUTES:
        url = _to_url(route).format(**world["own"])
        picking = _picking_bodies(world["foreign"]) if _params(route) == ["slug"] else []
        for body in [*picking, *_hostile_bodies(world["foreign"])]:
            before = _state()
            response = client.post(url, body)
            if response.status_code >= 500:
                problems.append(f"POST {url} {body}: {response.status_code}")
            if _state() != before:
                problems.append(f"POST {url} with another group's ids {body} changed the database")
            problems += _secrets_in(response, f"POST {url} {body}")
    assert not problems, "\n".join(problems)
