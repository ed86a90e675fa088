"""Demo engagement: a year of monthly bulletins (some read in the archive), a finished PCN
relationship check whose results show one divided PCN, an open sustainability outlook, and the
engagement view counted, with a few quiet practices at the bottom.

Consultations and bulletins are written through the services as the group's admin, and answers as
each practice's signatory. Dates are then moved back into the past and bulletin copies recorded as
sent without emailing anyone, which only demo data may do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.core.models import LeadershipGroup, Role
from gpvoice.directory.models import Appointment
from gpvoice.directory.selectors import footprint_practices
from gpvoice.engagement import delivery, figures, services
from gpvoice.engagement.models import (
    Bulletin,
    BulletinDelivery,
    BulletinStatus,
    Consultation,
    DeliveryState,
)

from .governance_demo import _user_for

QUIET = 3  # the last practices answer nothing and read nothing
# Own stances per PCN, in practice order: only the third PCN's lie two or more steps apart.
STANCES = [
    ["allies", "allies", "friends", "allies", "friends"],
    ["friends", "neighbours", "friends", "friends", "neighbours"],
    ["allies", "friends", "rivals", "friends", "neighbours"],
    ["neighbours", "neighbours", "rivals", "neighbours", "neighbours"],
]
BULLETINS = [
    ("news", "Winter pressures: what the group has agreed with the ICB"),
    ("policy", "Contract changes for April: what they mean for your practice"),
    ("opportunities", "Funding for estates improvements: bids open"),
    ("events", "Leaders' evening: book your place"),
    ("news", "Digital access: the group's position"),
    ("policy", "Enhanced services review: the group's response"),
    ("news", "Workforce: additional roles update"),
    ("opportunities", "Training hub places for practice managers"),
    ("events", "Retirement planning sessions"),
    ("news", "Mandate renewed: thank you"),
    ("policy", "Advice and guidance: what the group is asking for"),
    ("news", "The year ahead"),
]


def _signatory(practice: Any, group: LeadershipGroup) -> User | None:
    appointment = (
        Appointment.objects.filter(organisation=practice, is_signatory=True, end__isnull=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if appointment is None or not appointment.person.email:
        return None
    return _user_for(appointment.person, group, Role.PRACTICE_STAFF)


def _by_pcn(group: LeadershipGroup) -> list[list[Any]]:
    practices = list(footprint_practices(group=group).order_by("pcn__ods_code", "ods_code"))
    pcns: dict[Any, list[Any]] = {}
    for p in practices:
        pcns.setdefault(p.pcn_id, []).append(p)
    return list(pcns.values())


def _relationship(group: LeadershipGroup, admin: User, pcns: list[list[Any]], quiet: set[int]) -> None:
    c = services.consultation_create(
        group=group,
        title="",
        closes_at=timezone.now() + timedelta(days=1),
        template="relationship",
        actor=admin,
    )
    c = services.consultation_open(consultation=c, actor=admin)
    q = {x.key: x for x in c.questions.all()}
    for stances, practices in zip(STANCES, pcns, strict=False):
        for stance, practice in zip(stances, practices, strict=False):
            user = _signatory(practice, group)
            if user is None or practice.pk in quiet:
                continue
            answers = {
                str(q["stance"].pk): stance,
                str(q["pcn_view"].pk): "friends" if stance != "rivals" else "rivals",
            }
            if stance != "allies":
                answers[str(q["closer"].pk)] = "A fair share of the PCN's additional roles, agreed openly."
            services.response_submit(consultation=c, practice=practice, answers=answers, actor=user)
    services.consultation_close(consultation=c, actor=admin)
    services.results_publish(consultation=c, actor=admin)
    past = timezone.now() - timedelta(days=40)
    Consultation.objects.filter(pk=c.pk).update(
        opened_at=past, closes_at=past + timedelta(days=21), closed_at=past + timedelta(days=21)
    )


def _sustainability(group: LeadershipGroup, admin: User, practices: list[Any]) -> None:
    c = services.consultation_create(
        group=group,
        title="",
        closes_at=timezone.now() + timedelta(days=2),
        template="sustainability",
        actor=admin,
    )
    c = services.consultation_open(consultation=c, actor=admin)
    q = {x.key: x for x in c.questions.all()}
    outlooks = ["grow", "same", "merge", "smaller", "same", "handback"]
    for n, practice in enumerate(practices[:6]):
        user = _signatory(practice, group)
        if user is None:
            continue
        answers = {
            str(q["gaps"].pk): ["gp", "nurse"][: n % 3],
            str(q["leaving"].pk): str(n % 4),
            str(q["finance"].pk): ["stable", "stretched", "at_risk"][n % 3],
            str(q["outlook"].pk): outlooks[n],
        }
        services.response_submit(consultation=c, practice=practice, answers=answers, actor=user)


def _bulletins(group: LeadershipGroup, admin: User, quiet: set[int]) -> None:
    now = timezone.now()
    for months_ago, (category, title) in zip(range(12, 0, -1), BULLETINS, strict=True):
        body = (
            f"## {title}\n\nDear colleagues,\n\nThis month the group has been working on "
            f"**{title.lower()}**.\n\n- What we did\n- What happens next\n"
        )
        b = services.bulletin_create(
            group=group, title=title, body=body, category=category, audience="all_staff", actor=admin
        )
        sent = now - timedelta(days=30 * months_ago)
        Bulletin.objects.filter(pk=b.pk).update(status=BulletinStatus.SENT, sent_at=sent, finished_at=sent)
        b.refresh_from_db()
        people = [(p, practice) for p, practice in delivery.audience(b) if delivery._address(p)]
        delivery._write(b, people)
        copies = BulletinDelivery.objects.filter(bulletin=b, state=DeliveryState.QUEUED)
        copies.update(state=DeliveryState.SENT, sent_at=sent)
        # Some read it in the archive; nobody at the quiet practices does.
        readers = copies.model.objects.filter(bulletin=b).exclude(practice_id__in=quiet).order_by("pk")
        ids = list(readers.values_list("pk", flat=True))[:: 2 + months_ago % 2]
        BulletinDelivery.objects.filter(pk__in=ids).update(read_at=sent + timedelta(hours=3))


def load_engagement(group: LeadershipGroup) -> None:
    if Consultation.objects.filter(group=group).exists():
        return
    admin = User.objects.get(email=f"admin@{group.slug}.example.nhs.uk")
    pcns = _by_pcn(group)
    practices = [p for pcn in pcns for p in pcn]
    quiet = {p.pk for p in practices[-QUIET:]}
    _bulletins(group, admin, quiet)
    _relationship(group, admin, pcns, quiet)
    _sustainability(group, admin, practices)
    figures.refresh(group)
