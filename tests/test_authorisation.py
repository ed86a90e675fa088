"""Walks every route in the URL configuration as anonymous, as each role, and as an outsider.

A new route fails this test until its view is classified by a decorator from core.permissions
(or it belongs to a third-party namespace listed below, which has its own guards).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from gpvoice.core.models import OFFICER_ROLES, Role
from gpvoice.core.permissions import PUBLIC, SIGNED_IN

# allauth guards its own pages; the Django admin is guarded by core.admin (staff + strong sign-in);
# django-ninja's operations are guarded by gpvoice.api.auth and walked, with tokens and sessions of
# two groups, by gpvoice/api/tests/test_schema.py (the docs page at api/v1/docs is walked here).
THIRD_PARTY_PREFIXES = ("admin/", "accounts/", "api/v1/")
# How to fill each URL parameter: a value that resolves inside the viewer's own group, so that
# a permitted role gets 200 and the same URL in another group's hands gets 404.
SAMPLE_ARGS = {
    "slug": "{slug}",
    "token": "no-such-token",
    "path": "images/favicon.ico",
    "membership_id": "{membership_id}",
    "practice_code": "{practice_code}",
    "pcn_code": "{pcn_code}",
    "org_id": "{org_id}",
    "person_id": "{person_id}",
    "terms_id": "{terms_id}",
    "ballot_id": "{ballot_id}",
    "round_id": "{round_id}",
    "priority_id": "{priority_id}",
    "reference": "{reference}",
    "file_id": "{file_id}",
    "meeting_id": "{meeting_id}",
    "paper_id": "{paper_id}",
    "category_id": "{category_id}",
    "entry_id": "{entry_id}",
    "submission_id": "{submission_id}",
    "document_id": "{document_id}",
    "session_id": "{session_id}",
    "forum_id": "{forum_id}",
    "seat_id": "{seat_id}",
    "forum_meeting_id": "{forum_meeting_id}",
    "position_id": "{position_id}",
    "consultation_id": "{consultation_id}",
    "bulletin_id": "{bulletin_id}",
}
# Routes whose views check a right on the object beyond the role (a plan is read only by its
# organisation's signatories and its reviewers): in the samples only these roles hold that right,
# so every other role the decorator admits must get 404, officers included.
OBJECT_RIGHTS = {
    "g/<slug:slug>/sounding-board/<int:submission_id>/": {Role.PRACTICE_STAFF, Role.CORE},
    "g/<slug:slug>/sounding-board/<int:submission_id>/review/": {Role.CORE},
    "g/<slug:slug>/sounding-board/<int:submission_id>/documents/<int:document_id>/": {
        Role.PRACTICE_STAFF,
        Role.CORE,
    },
}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _to_url(route: str) -> str:
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLE_ARGS[m.group(1)], route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGS[m.group(1)], route)
    return "/" + route


OWN_ROUTES = [
    (r, cb)
    for r, cb in _walk(get_resolver().url_patterns)
    if not r.startswith(THIRD_PARTY_PREFIXES) or r == "api/v1/docs"
]


def _samples(group, personas) -> dict[str, object]:
    """The area's PCN is in the group's footprint, so its clinical director is in the group's
    records (a person page outside them is a 404 for everyone). Safe to call more than once."""
    from gpvoice.directory.models import FootprintEntry
    from gpvoice.directory.tests.factories import make_area

    area = make_area(practices=1)
    entry = FootprintEntry.objects.get_or_create(group=group, organisation=area["pcn"])[0]
    type(group).objects.filter(pk=group.pk).update(public_page=True)  # its public pages answer 200
    return {
        "category_id": _category(group).pk,
        "entry_id": entry.pk,
        "slug": group.slug,
        "membership_id": personas[Role.CORE].memberships.get(group=group).pk,
        "practice_code": area["practices"][0].ods_code,  # type: ignore[index]
        "pcn_code": area["pcn"].ods_code,  # type: ignore[attr-defined]
        "org_id": area["icb"].pk,  # type: ignore[attr-defined]
        "person_id": area["director"].person_id,  # type: ignore[attr-defined]
        "terms_id": _terms(group).pk,
        "ballot_id": _published_ballot(group).pk,
        **_intake_request(group),
        **_priority_round(group, personas[Role.ADMIN]),
        "meeting_id": _meeting(group).pk,
        "paper_id": _paper(_meeting(group)).pk,
        **_sounding_board(group, area["practices"][0], personas),  # type: ignore[index]
        "session_id": _session(group).pk,
        **_representation(group),
        "consultation_id": _consultation(group).pk,
        "bulletin_id": _bulletin(group).pk,
    }


def _representation(group) -> dict[str, int]:
    """A forum with a seat, a meeting held yesterday and a position: members get 200 on their pages."""
    from datetime import timedelta

    from django.utils import timezone

    from gpvoice.directory.models import Organisation, OrgType
    from gpvoice.representation.models import Forum, ForumMeeting, Position, Seat

    icb = Organisation.objects.get_or_create(
        org_type=OrgType.ICB, ods_code="QRP", defaults={"name": "Rep ICB"}
    )[0]
    forum = Forum.objects.get_or_create(
        group=group, name=f"{group.name} ICB board", defaults={"organiser": icb}
    )[0]
    seat = Seat.objects.get_or_create(forum=forum, title="GP member")[0]
    on = timezone.localdate() - timedelta(days=1)
    meeting = ForumMeeting.objects.get_or_create(
        forum=forum, on=on, defaults={"briefing_due_on": on, "report_due_on": on + timedelta(days=10)}
    )[0]
    position = Position.objects.get_or_create(
        group=group,
        topic="Urgent care",
        defaults={
            "statement": "Same-day care stays in practices.",
            "basis_kind": "other",
            "basis_label": "Group meeting",
            "agreed_on": date(2026, 1, 1),
            "review_on": date(2030, 1, 1),
        },
    )[0]
    return {
        "forum_id": forum.pk,
        "seat_id": seat.pk,
        "forum_meeting_id": meeting.pk,
        "position_id": position.pk,
    }


def _sounding_board(group, practice, personas=None) -> dict[str, int]:
    """A plan from the area's practice, with a document: with ``personas``, the practice-staff
    persona signs for the practice and the core persona reviews it (OBJECT_RIGHTS)."""
    from django.core.files.base import ContentFile

    from gpvoice.directory.models import Appointment, Person
    from gpvoice.soundingboard.models import Assignment, Document, Submission

    submission = Submission.objects.get_or_create(
        group=group, title=f"{group.name} plan", defaults={"organisation": practice, "plan": "Our plan"}
    )[0]
    if personas is not None:
        person = Person.objects.get_or_create(
            user=personas[Role.PRACTICE_STAFF], defaults={"full_name": "Sample signatory"}
        )[0]
        Appointment.objects.get_or_create(
            person=person, organisation=practice, defaults={"role": "practice_manager", "is_signatory": True}
        )
        Assignment.objects.get_or_create(submission=submission, reviewer=personas[Role.CORE])
    document = Document.objects.filter(submission=submission).first()
    if document is None:
        document = Document(submission=submission, name="Plan.pdf", content_type="application/pdf", size=9)
        document.file.save("Plan.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return {"submission_id": submission.pk, "document_id": document.pk}


def _bulletin(group):
    """A sent bulletin: members get 200 in the archive, officers on its edit page."""
    from django.utils import timezone

    from gpvoice.engagement.models import Bulletin

    return Bulletin.objects.get_or_create(
        group=group,
        title="Sample bulletin",
        defaults={"body": "News", "status": "sent", "sent_at": timezone.now()},
    )[0]


def _consultation(group):
    """An open consultation with one question: members get 200 on its pages, officers on its forms."""
    from datetime import timedelta

    from django.utils import timezone

    from gpvoice.engagement.models import Consultation, Question

    found = Consultation.objects.filter(group=group, title="Sample consultation").first()
    if found is None:
        found = Consultation.objects.create(
            group=group,
            title="Sample consultation",
            status="open",
            closes_at=timezone.now() + timedelta(days=9),
        )
        Question.objects.create(
            consultation=found, kind="single", text="Agree?", choices=[["y", "Yes"], ["n", "No"]]
        )
    return found


def _intake_request(group):
    """A request to the group's single point of access, with one attached file."""
    from gpvoice.intake.models import AccessRequest
    from gpvoice.intake.tests.factories import received_request

    found = AccessRequest.objects.filter(group=group).first() or received_request(group, with_file=True)
    return {"reference": found.reference, "file_id": found.attachments.get().pk}


def _category(group):
    """A line of the group's scheme of delegation: admins get 200 on its page."""
    from gpvoice.governance.models import Authority, DecisionCategory

    return DecisionCategory.objects.get_or_create(
        group=group,
        name="Sample category",
        defaults={"authority": Authority.GROUP, "review_date": date(2030, 1, 1)},
    )[0]


def _terms(group):
    from gpvoice.governance.models import TermsOfReference

    return TermsOfReference.objects.get_or_create(
        group=group, version=1, defaults={"title": "ToR", "body": "# Purpose"}
    )[0]


def _published_ballot(group):
    """A ballot every member may see, with its result: members get 200 on each ballot page."""
    from gpvoice.ballots.models import Ballot, Kind, Status

    return Ballot.objects.get_or_create(
        group=group,
        title="Recorded vote",
        defaults={
            "question": "Agree?",
            "kind": Kind.RECORDED,
            "status": Status.PUBLISHED,
            "meeting": "Core group",
            "held_on": date(2026, 11, 5),
        },
    )[0]


def _meeting(group):
    """A planned meeting with one agenda item: members get 200 on its pages, officers on its forms."""
    from datetime import UTC, datetime

    from gpvoice.meetings.models import AgendaItem, Meeting

    meeting = Meeting.objects.get_or_create(
        group=group,
        title=f"{group.name} meeting",
        defaults={
            "starts_at": datetime(2030, 1, 15, 18, 30, tzinfo=UTC),
            "ends_at": datetime(2030, 1, 15, 20, 30, tzinfo=UTC),
        },
    )[0]
    AgendaItem.objects.get_or_create(meeting=meeting, title="Sample item", defaults={"position": 1})
    return meeting


def _session(group):
    """A session open for booking: members get 200 on its page, officers on its bookings and forms."""
    from datetime import UTC, datetime

    from gpvoice.events.models import Session

    return Session.objects.get_or_create(
        group=group,
        title=f"{group.name} think tank",
        defaults={
            "starts_at": datetime(2030, 1, 15, 13, 0, tzinfo=UTC),
            "ends_at": datetime(2030, 1, 15, 15, 0, tzinfo=UTC),
            "capacity": 5,
            "opens_at": datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
            "closes_at": datetime(2030, 1, 14, 13, 0, tzinfo=UTC),
            "cancel_by": datetime(2030, 1, 13, 13, 0, tzinfo=UTC),
        },
    )[0]


def _paper(meeting):
    """A PDF paper on the meeting's item: the members who read papers get 200 for it."""
    from django.core.files.base import ContentFile

    from gpvoice.meetings.models import MeetingSettings, Paper

    # The group lets observers read papers, so each role the download's decorator admits gets 200.
    MeetingSettings.objects.update_or_create(group=meeting.group, defaults={"observers_see_papers": True})
    found = Paper.objects.filter(item__meeting=meeting).first()
    if found is None:
        found = Paper(item=meeting.items.get(), name="Paper.pdf", content_type="application/pdf", size=9)
        found.file.save("Paper.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return found


def _priority_round(group, admin) -> dict[str, int]:
    """A round in delivery with one adopted priority: members get 200 on its pages."""
    from gpvoice.directory.models import Person
    from gpvoice.priorities.models import AdoptedPriority, Candidate, Phase, PriorityRound

    round = PriorityRound.objects.get_or_create(
        group=group, title="Sample round", defaults={"phase": Phase.DELIVERY}
    )[0]
    candidate = Candidate.objects.get_or_create(round=round, title="Workforce", defaults={"position": 1})[0]
    priority = AdoptedPriority.objects.get_or_create(
        round=round,
        candidate=candidate,
        defaults={
            "title": candidate.title,
            "rank": 1,
            "lead": Person.objects.get_or_create(full_name="Sample lead")[0],
            "review_date": date(2030, 1, 1),
            "adopted_by": admin,
        },
    )[0]
    return {"round_id": round.pk, "priority_id": priority.pk}


def test_every_route_is_classified():
    unclassified = [route for route, callback in OWN_ROUTES if not hasattr(callback, "access")]
    assert unclassified == [], f"classify these views with core.permissions: {unclassified}"


def _expected(access, role: Role | None, *, own_group: bool, route: str = "") -> set[int]:
    if route in OBJECT_RIGHTS and role is not None and role not in OBJECT_RIGHTS[route]:
        return {302} if access == SIGNED_IN else {404}
    if access == PUBLIC:
        return {200, 410}
    if access == SIGNED_IN:
        return {302} if role is None else {200, 302, 403}
    _, allowed = access
    if role is None:
        return {302}
    if not own_group or role not in allowed:
        return {404}
    return {200}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "callback"), OWN_ROUTES, ids=[r for r, _ in OWN_ROUTES])
def test_route_as_every_role_and_an_outsider(
    client, route, callback, group, personas, outsider, strong_login
):
    url = _to_url(route).format(**_samples(group, personas))
    access = callback.access

    client.logout()
    status = client.get(url).status_code
    assert status in _expected(access, None, own_group=True), f"anonymous got {status} at {url}"

    for role, user in personas.items():
        client.logout()
        if role in OFFICER_ROLES:
            strong_login(client, user)
        else:
            client.force_login(user)
        status = client.get(url).status_code
        assert status in _expected(access, role, own_group=True, route=route), f"{role} got {status} at {url}"

    client.logout()
    strong_login(client, outsider)
    status = client.get(url).status_code
    assert status in _expected(access, Role.ADMIN, own_group=False), f"outsider got {status} at {url}"


@pytest.mark.django_db
def test_officer_routes_refuse_a_code_only_sign_in(client, group, personas):
    officer_routes = [
        (r, cb) for r, cb in OWN_ROUTES if isinstance(cb.access, tuple) and cb.access[1] <= OFFICER_ROLES
    ]
    assert officer_routes, "expected at least one officer-only route"
    client.force_login(personas[Role.ADMIN])
    samples = _samples(group, personas)
    for route, _ in officer_routes:
        response = client.get(_to_url(route).format(**samples))
        assert response.status_code == 302 and "stronger-sign-in" in response["Location"], route
