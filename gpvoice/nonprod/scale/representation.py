"""Representation for load-scale: per group, forums with seats filled through the services (the
conflict check runs for each appointment) and positions; then a year of monthly forum meetings and
their report-backs in bulk, with the audit entries the services write for them."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.scale import Part, ScaleContext
from gpvoice.directory.models import Organisation, OrgType, Person
from gpvoice.representation import services
from gpvoice.representation.models import ForumMeeting, ReportBack

BATCH = 2000
FORUMS = ("ICB board", "Primary care commissioning committee", "Place partnership", "Urgent care board")
TOPICS = ("Urgent care", "Estates", "Workforce", "Digital access", "Contract changes")
MEETINGS = 12


def _appoint(seat, person: Person, holder: str) -> None:
    today = timezone.localdate()
    services.seat_appoint(
        seat=seat,
        person=person,
        holder=holder,
        starts_on=today - timedelta(days=365),
        term_ends_on=today + timedelta(days=365),
        proceed_reason="Scale data: appointed whatever the check found.",
        actor=None,
    )


def _year(forum, made: dict[str, int]) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        meetings = ForumMeeting.objects.bulk_create(
            [
                ForumMeeting(
                    forum=forum,
                    on=(on := today - timedelta(days=30 * k)),
                    briefing_due_on=on - timedelta(days=forum.briefing_days),
                    report_due_on=on + timedelta(days=forum.report_days),
                )
                for k in range(1, MEETINGS + 1)
            ],
            batch_size=BATCH,
        )
        reports = ReportBack.objects.bulk_create(
            [
                ReportBack(meeting=m, discussed="Scale report-back.", positions_held="held")
                for m in meetings[1:]
            ],
            batch_size=BATCH,
        )
        made["meetings"] += len(meetings)
        made["report-backs"] += len(reports)
        events = [
            audit.Event(
                "representation.meeting.added",
                None,
                "system",
                "representation.ForumMeeting",
                str(m.pk),
                {"on": m.on},
            )
            for m in meetings
        ] + [
            audit.Event(
                "representation.report.filed",
                None,
                "system",
                "representation.ReportBack",
                str(r.pk),
                {"meeting": r.meeting_id, "forum": forum.name, "positions_held": "held"},
            )
            for r in reports
        ]
        made["audit entries"] += audit.record_many(group=forum.group, events=events)


def load_representation(ctx: ScaleContext) -> Part:
    made = {
        "forums": 0,
        "seats": 0,
        "appointments": 0,
        "positions": 0,
        "meetings": 0,
        "report-backs": 0,
        "audit entries": 0,
    }
    icb = Organisation.objects.filter(org_type=OrgType.ICB).order_by("pk").first()
    if icb is None:
        return Part("representation", path="service", counts=made)
    people = list(Person.objects.filter(pk__in=sorted(set(ctx.persons.values()))[:200]).order_by("pk"))
    today = timezone.localdate()
    for g, group in enumerate(ctx.groups):
        for topic in TOPICS:
            services.position_create(
                group=group,
                topic=topic,
                statement=f"The agreed position of general practice on {topic.lower()}.",
                basis_kind="consultation",
                basis_label=f"Consultation of practices on {topic.lower()}",
                agreed_on=today - timedelta(days=100),
                review_on=today + timedelta(days=265),
                published=True,
                actor=None,
            )
            made["positions"] += 1
        for f, name in enumerate(FORUMS):
            forum = services.forum_create(
                group=group,
                name=name,
                organiser=icb,
                cadence="monthly",
                topics=", ".join(TOPICS[:3]),
                actor=None,
            )
            seat = services.seat_add(forum=forum, title="GP member", actor=None)
            made["forums"] += 1
            made["seats"] += 1
            if len(people) >= 2:
                n = (g * len(FORUMS) + f) * 2
                _appoint(seat, people[n % len(people)], "representative")
                _appoint(seat, people[(n + 1) % len(people)], "deputy")
                made["appointments"] += 2
            _year(forum, made)
    return Part(
        "representation",
        path="service (forums, seats, appointments, positions); meetings, report-backs: bulk, audited",
        counts=made,
    )
