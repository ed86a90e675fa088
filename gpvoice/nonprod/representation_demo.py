"""Demo representation: a forum map for the group's ICB and Place, seats filled but for one deputy,
positions used in briefings, and a year of forum meetings with briefings and report-backs, one of
them overdue. Past records are written directly (the services refuse past dates, rightly); the
appointments, positions, the next briefing and recent report-backs go through the services."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.ballots.models import Ballot, Status
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, OrgType, Person
from gpvoice.governance.selectors import people_on_roll
from gpvoice.representation import briefing, selectors, services
from gpvoice.representation.models import Briefing, Forum, ForumMeeting, ReportBack

FORUMS = [
    # (name, organiser, cadence, topics, seats)
    ("ICB board", "icb", "bimonthly", "Urgent care, Workforce", ["GP partner member"]),
    ("Primary care commissioning committee", "icb", "monthly", "Contract changes, Estates", ["GP member"]),
    (
        "Place partnership board",
        "place",
        "monthly",
        "Urgent care, Estates, Digital access",
        ["General practice"],
    ),
    ("Urgent and emergency care board", "place", "quarterly", "Urgent care", ["Primary care lead"]),
]
POSITIONS = [
    ("Urgent care", "Same-day urgent care stays with practices, funded per appointment, not per head.", True),
    ("Estates", "No new practice premises without recurrent revenue funding for rent and rates.", True),
    ("Workforce", "ARRS roles are kept under PCN employment, with supervision funded.", False),
    ("Digital access", "Online consultation tools are chosen by practices, not mandated by the ICB.", True),
    ("Contract changes", "Local enhanced services are reviewed with the LMC before any change.", False),
]
GAP_SEAT = "Primary care lead"  # the one seat with no deputy


def _organisers(group: LeadershipGroup) -> dict[str, Organisation]:
    town = group.name.split()[0]
    icb = Organisation.objects.filter(org_type=OrgType.ICB, ods_code="Q9990").first()
    if icb is None:
        icb = Organisation.objects.create(org_type=OrgType.ICB, ods_code="Q9990", name="NHS Demo ICB")
    place = Organisation.objects.get_or_create(
        org_type=OrgType.PLACE,
        ods_code=f"PL-{group.slug[:6].upper()}",
        defaults={"name": f"{town} Place Partnership team"},
    )[0]
    return {"icb": icb, "place": place}


def _people(group: LeadershipGroup) -> list[Person]:
    """The demo core member first (so the demo login has a briefing to read), then the roll."""
    core = Person.objects.filter(user__email=f"core@{group.slug}.example.nhs.uk").first()
    roll = list(people_on_roll(group=group).exclude(email="").exclude(pk=core.pk if core else 0)[:10])
    return ([core] if core else []) + roll


def _appoint(seat, person: Person, holder: str, admin: User, *, public: bool) -> None:
    today = timezone.localdate()
    fields = {
        "seat": seat,
        "person": person,
        "holder": holder,
        "starts_on": today - timedelta(days=420),
        "term_ends_on": today + timedelta(days=60 if holder == "deputy" else 500),  # deputies' terms end soon
        "name_public": public,
        "actor": admin,
    }
    try:
        services.seat_appoint(**fields)
    except services.ConflictsFound:
        services.seat_appoint(**fields, proceed_reason="Declared to the board; the executive agreed.")


def _positions(group: LeadershipGroup, admin: User) -> None:
    today = timezone.localdate()
    ballot = Ballot.objects.filter(group=group, status=Status.PUBLISHED).order_by("pk").first()
    for n, (topic, statement, published) in enumerate(POSITIONS):
        basis = (
            {"basis_kind": "ballot", "basis_ref": str(ballot.pk)}
            if ballot and n == 0
            else {
                "basis_kind": "consultation",
                "basis_label": f"Consultation of practices on {topic.lower()}",
            }
        )
        position = services.position_create(
            group=group,
            topic=topic,
            statement=statement,
            agreed_on=today - timedelta(days=200 + 30 * n),
            review_on=today + timedelta(days=200),
            published=published,
            actor=admin,
            **basis,
        )
        if n == 4:  # one past its review date, flagged
            type(position).objects.filter(pk=position.pk).update(review_on=today - timedelta(days=10))
        if n == 2:
            services.position_update(
                position=position,
                status="under_review",
                published=False,
                review_on=position.review_on,
                actor=admin,
            )


def _year(forum: Forum, admin: User, step: int, *, overdue: bool) -> None:
    """Meetings every ``step`` days for a year: briefed and reported back, the latest one overdue
    if ``overdue``; and the next meeting ahead, briefed now if its briefing is due."""
    today = timezone.localdate()
    person = selectors.briefed_person(forum=forum)
    holder_user = person.user if person and person.user_id else admin
    topic = forum.topics.split(",")[0].strip().lower()
    for back in range(step, 366, step):
        on = today - timedelta(days=back)
        meeting = ForumMeeting.objects.create(
            forum=forum,
            on=on,
            briefing_due_on=on - timedelta(days=forum.briefing_days),
            report_due_on=on + timedelta(days=forum.report_days),
        )
        if person:
            text = briefing.compose(meeting, selectors.relevant_positions(forum=forum), [])
            Briefing.objects.create(
                meeting=meeting, person=person, text=text, sent_at=timezone.now() - timedelta(days=back + 7)
            )
        if overdue and back == step and meeting.report_due_on < today:
            continue  # the overdue one: chased by the scheduled job
        if back <= forum.report_days and back < step:
            continue
        report = services.report_back_file(
            meeting=meeting,
            attended=back != 3 * step,
            discussed=f"The board discussed **{topic}** and the winter plan.",
            decisions="- The plan was approved with changes.",
            asks="- Tell us by Friday how many same-day appointments you offer.",
            positions_held="held" if back % (2 * step) else "partly",
            held_notes=""
            if back % (2 * step)
            else "The urgent care funding position was not accepted; it goes to the next board.",
            actor=holder_user,
        )
        ReportBack.objects.filter(pk=report.pk).update(
            filed_at=timezone.now() - timedelta(days=max(back - 5, 0))
        )
    ahead = services.forum_meeting_add(
        forum=forum, on=today + timedelta(days=min(step, 30) // 5 + 3), actor=admin
    )
    services.briefing_item_add(
        meeting=ahead, kind="ask", text="Ask for the urgent care tariff to be published.", actor=admin
    )
    services.briefing_item_add(
        meeting=ahead, kind="resist", text="Resist moving the hub to one site.", actor=admin
    )
    if person:
        services.briefing_send(meeting=ahead, actor=admin)


@transaction.atomic
def load_representation(group: LeadershipGroup) -> None:
    if Forum.objects.filter(group=group).exists():
        return
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    organisers = _organisers(group)
    people = _people(group)
    _positions(group, admin)
    n = 0
    for index, (name, organiser, cadence, topics, seats) in enumerate(FORUMS):
        forum = services.forum_create(
            group=group,
            name=name,
            organiser=organisers[organiser],
            cadence=cadence,
            topics=topics,
            actor=admin,
        )
        for title in seats:
            seat = services.seat_add(forum=forum, title=title, actor=admin)
            _appoint(seat, people[n % len(people)], "representative", admin, public=n % 2 == 0)
            if title != GAP_SEAT:
                _appoint(seat, people[(n + 1) % len(people)], "deputy", admin, public=False)
            n += 2
        step = {"monthly": 30, "bimonthly": 60, "quarterly": 91}[cadence]
        _year(forum, admin, step, overdue=index == 1)
    _offer_to_next_meeting(group, admin)


def _offer_to_next_meeting(group: LeadershipGroup, admin: User) -> None:
    """Report-backs filed since the last group meeting go on the next one's agenda, for noting."""
    from gpvoice.meetings import services as meetings
    from gpvoice.meetings.models import Meeting, MeetingStatus

    nxt = Meeting.objects.filter(
        group=group, status=MeetingStatus.PLANNED, starts_at__gte=timezone.now()
    ).first()
    if nxt is not None:
        meetings.agenda_draft(meeting=nxt, actor=admin)
