"""Demo meetings: a year of monthly group meetings with minutes, decisions, actions and a declared
interest, one cancelled, and the next one with an agenda drafted from what is due.

Meetings are called through the services, which refuse a date in the past: each past meeting is
called for tomorrow and then moved back to its month, which only demo data may do. Its minutes,
decisions and actions are then written through the services as they would be at the meeting.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Person
from gpvoice.governance import services as governance
from gpvoice.governance.models import RollStatus
from gpvoice.meetings import selectors, services
from gpvoice.meetings.models import Action, Invitation, Meeting

MONTHS = 11
# A one-page PDF: enough for the paper checks (it starts %PDF-) and for a viewer to open.
PAPER = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
TOPICS = [
    "Winter pressures",
    "Workforce",
    "Estates",
    "Digital access",
    "Contract changes",
    "Local enhanced services",
]


def _demo_person(group: LeadershipGroup, admin: User) -> Person:
    """The core-member login as a person on the roll (an attendee: it holds no appointment)."""
    user = User.objects.get(email=f"core@{group.slug}.example.nhs.uk")
    person = Person.objects.filter(user=user).first() or Person.objects.create(
        full_name=user.full_name, email=user.email, user=user
    )
    try:
        governance.roll_add(group=group, person=person, status=RollStatus.ATTENDEE, actor=admin)
    except governance.GovernanceError:
        pass  # already on the roll (the other group's loader, or a second load)
    return person


def _call(
    group: LeadershipGroup, admin: User, title: str, *, months_ago: int, notify: bool = False
) -> Meeting:
    soon = (timezone.localtime() + timedelta(days=1)).replace(hour=18, minute=30, second=0, microsecond=0)
    meeting = services.meeting_create(
        group=group,
        title=title,
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        place="Board room, Northgate House",
        actor=admin,
        notify=notify,
    )
    if months_ago:
        back = timedelta(days=30 * months_ago)
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=soon - back, ends_at=soon - back + timedelta(hours=2)
        )
        meeting.refresh_from_db()
    return meeting


def _hold(meeting: Meeting, admin: User, *, quorate: bool) -> None:
    services.meeting_hold(meeting=meeting, actor=admin, now=meeting.starts_at)
    invitations = list(Invitation.objects.filter(meeting=meeting).order_by("pk"))
    core = [i.pk for i in invitations if i.counts_for_quorum]
    others = [i.pk for i in invitations if not i.counts_for_quorum]
    present = core[: len(core) // 2 + 1] if quorate else core[:1]
    services.attendance_record(meeting=meeting, present=present + others, actor=admin)


def _minute(meeting: Meeting, admin: User, n: int, owner: Person, *, last: bool) -> None:
    topic = TOPICS[n % len(TOPICS)]
    item = services.agenda_item_add(meeting=meeting, title=topic, minutes_allowed=20, actor=admin)
    services.minutes_save(item=item, text=f"The group discussed {topic.lower()}.", version=0, actor=admin)
    # Decisions rest on a show of hands (at least one person is present) or on one of the group's ballots.
    ballots = selectors.linkable_ballots(group=meeting.group)[:1] if n % 3 == 2 else []
    services.decision_record(
        item=item,
        text=f"The group agreed its approach to {topic.lower()}.",
        hands=(1, 0, 0) if n % 3 == 1 else None,
        ballot_id=ballots[0].pk if ballots else None,
        actor=admin,
    )
    action = services.action_create(
        item=item,
        description=f"Report back on {topic.lower()}",
        owner=owner,
        due_on=timezone.localdate(),
        actor=admin,
    )
    if last:  # the last meeting's action is now overdue, and shows on its owner's home page
        Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=7))
    else:
        services.action_status_set(action=action, status="done", actor=admin)
    if n == 2:  # an interest declared on an item, and the member withdrew for it
        services.interest_declare(
            item=item,
            person=owner,
            nature="Partner in a practice bidding for the service",
            withdrew=True,
            actor=owner.user,
        )
    if not last:
        services.minutes_approve(meeting=meeting, actor=admin)


@transaction.atomic
def load_meetings(group: LeadershipGroup) -> None:
    if Meeting.objects.filter(group=group).exists():
        return
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    owner = _demo_person(group, admin)
    for months_ago in range(MONTHS, 0, -1):
        title = f"Group meeting, {(timezone.localdate() - timedelta(days=30 * months_ago)):%B %Y}"
        meeting = _call(group, admin, title, months_ago=months_ago)
        if months_ago == 6:  # called, then cancelled: calendars were told
            services.meeting_cancel(meeting=meeting, actor=admin)
            continue
        _hold(meeting, admin, quorate=months_ago != 4)  # one meeting fell short of its quorum
        _minute(meeting, admin, MONTHS - months_ago, owner, last=months_ago == 1)
    nxt = _call(group, admin, "Group meeting, next month", months_ago=0, notify=True)
    later = timezone.now() + timedelta(days=21)
    Meeting.objects.filter(pk=nxt.pk).update(starts_at=later, ends_at=later + timedelta(hours=2))
    services.agenda_draft(meeting=nxt, actor=admin)  # decisions for noting, open (overdue) actions, …
    budget = services.agenda_item_add(
        meeting=nxt, title="Budget for the coming year", minutes_allowed=30, actor=admin
    )
    services.paper_attach(item=budget, name="Budget.pdf", data=PAPER, actor=admin)
