"""What governance publishes on a group's public page (issue 18): its footprint, the members who
agreed to be named, and its mandate right now. Each reads kept aggregates or a bounded page."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import glance
from gpvoice.core.formats import day, when
from gpvoice.core.glance import Section, Table
from gpvoice.core.models import LeadershipGroup, Membership
from gpvoice.directory.selectors import footprint_practices

from . import selectors
from .coverage import percent
from .models import MandateAnswer, RollEntry, RollStatus

ROSTER_SHOWN = 25


def footprint_counts(group: LeadershipGroup) -> dict[str, int]:
    """Practices, PCNs and registered patients of the live footprint: one aggregate query."""
    found = footprint_practices(group=group).aggregate(
        practices=Count("pk"), pcns=Count("pcn", distinct=True), patients=Sum("list_size")
    )
    return {k: int(v or 0) for k, v in found.items()}


def footprint_section(group: LeadershipGroup) -> Section:
    counts = footprint_counts(group)
    return Section(
        key="footprint",
        title="Who the group speaks for",
        summary=[
            ("Practices", f"{counts['practices']:,}"),
            ("Primary care networks", f"{counts['pcns']:,}"),
            ("Registered patients", f"{counts['patients']:,}"),
        ],
        href=reverse("governance:public_footprint", args=[group.slug]),
        href_text="The practices, by name",
        data=counts,
    )


def named_roll(group: LeadershipGroup) -> QuerySet[RollEntry]:
    """Core members and attendees on the roll now who agreed to be named publicly in this group."""
    agreed = Membership.objects.filter(
        group=group, user_id=OuterRef("person__user_id"), named_publicly_at__isnull=False
    )
    return (
        selectors.current_roll(group=group)
        .filter(status__in=[RollStatus.CORE, RollStatus.ATTENDEE])
        .filter(Exists(agreed))
        .select_related("person")
        .order_by("status", "person__full_name", "pk")
    )


def roster_row(entry: RollEntry) -> list[str]:
    return [entry.person.full_name, entry.get_status_display(), entry.basis or "Not recorded"]


def members_section(group: LeadershipGroup) -> Section:
    shown = list(named_roll(group)[: ROSTER_SHOWN + 1])
    rows = [roster_row(e) for e in shown[:ROSTER_SHOWN]]
    return Section(
        key="members",
        title="Core members and attendees",
        summary=[] if rows else [("Named members", "Nobody on the roll has agreed to be named yet.")],
        table=Table(head=["Name", "Status", "Why"], rows=rows, caption="Who may vote and who attends")
        if rows
        else None,
        href=reverse("governance:public_members", args=[group.slug]),
        href_text="Everyone who agreed to be named"
        if len(shown) > ROSTER_SHOWN
        else "About core members and attendees",
        data={"members": [dict(zip(["name", "status", "why"], r, strict=True)) for r in rows]},
    )


def terms_fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def mandate_data(status: selectors.MandateStatus) -> dict[str, Any]:
    """The mandate as the public page, its JSON and the signed statement state it."""
    round, c = status.round, status.coverage
    assert round is not None and c is not None  # noqa: S101 - callers check
    o = c.overall
    return {
        "round": round.number,
        "terms": {
            "version": round.terms.version,
            "title": round.terms.title,
            "sha256": terms_fingerprint(round.terms.body),
        },
        "practices": {
            "agreed": o.practices["agree"],
            "total": o.total_practices,
            "share": str(o.share("agree", by="practices")),
        },
        "patients": {
            "agreed": o.patients["agree"],
            "total": o.total_patients,
            "share": str(o.share("agree", by="patients")),
        },
        "threshold": {
            "practices_more_than": str(status.settings.practices_threshold),
            "patients_more_than": str(status.settings.patients_threshold),
        },
        "with_mandate": status.with_mandate,
        "expires_on": round.expires_on.isoformat(),
        "computed_at": timezone.now().isoformat(),
    }


def _of(part: int, whole: int, share: Any) -> str:
    return f"{part:,} of {whole:,} ({percent(share)})"


def mandate_section(group: LeadershipGroup) -> Section:
    status = selectors.mandate_status(group=group)
    href = reverse("governance:public_agreed", args=[group.slug])
    if status.round is None or status.coverage is None:
        return Section(
            key="mandate",
            title="Mandate",
            summary=[
                ("Standing", "Not acting with mandate: the terms have not yet been put to the practices")
            ],
            data={"round": None, "with_mandate": False, "computed_at": timezone.now().isoformat()},
        )
    o, round = status.coverage.overall, status.round
    return Section(
        key="mandate",
        title="Mandate",
        summary=[
            ("Standing", "Acting with mandate" if status.with_mandate else "Not acting with mandate"),
            ("Terms agreed", f"{round.terms} (version {round.terms.version})"),
            (
                "Practices that agreed",
                _of(o.practices["agree"], o.total_practices, o.share("agree", by="practices")),
            ),
            ("Patients covered", _of(o.patients["agree"], o.total_patients, o.share("agree", by="patients"))),
            (
                "Needed",
                f"more than {percent(status.settings.practices_threshold)} of practices and of patients",
            ),
            ("Mandate lasts until", day(round.expires_on)),
            ("Worked out", when(timezone.now())),
        ],
        href=href,
        href_text="The practices that agreed, by name",
        data=mandate_data(status),
    )


def agreed_practices(group: LeadershipGroup) -> QuerySet[Any]:
    """The footprint's practices whose current answer to the latest round is "agree", by name."""
    round = selectors.current_round(group=group)
    if round is None:
        return footprint_practices(group=group).none()
    agreed = MandateAnswer.objects.filter(round=round, is_current=True, answer="agree").values("practice_id")
    return footprint_practices(group=group).filter(pk__in=agreed).select_related("pcn").order_by("name", "pk")


def register() -> None:
    glance.register_public("footprint", footprint_section, order=10)
    glance.register_public("members", members_section, order=20)
    glance.register_public("mandate", mandate_section, order=30)
