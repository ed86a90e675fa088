"""Governance on the officers' dashboard (issue 18): mandate coverage overall and by PCN (a heat map of
the kept per-PCN counts, one bounded page), and the executive's recent decisions."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gpvoice.core import glance
from gpvoice.core.formats import day
from gpvoice.core.glance import Bars, Section, SmallMultiples, Table
from gpvoice.core.models import LeadershipGroup

from . import selectors
from .coverage import percent

PCNS_SHOWN = 30
DECISIONS_SHOWN = 5


def mandate_tile(group: LeadershipGroup) -> Section:
    status = selectors.mandate_status(group=group)
    href = reverse("governance:mandate", args=[group.slug])
    if status.round is None or status.coverage is None:
        return Section(
            key="mandate", title="Mandate", summary=[("Mandate", "Not yet put to the practices")], href=href
        )
    o = status.coverage.overall
    shares = [(by, o.share("agree", by=by)) for by in ("practices", "patients")]
    overall = Bars(
        title="Agreement overall",
        description="Share of the footprint's practices, and of their registered patients, that agreed.",
        bars=[(f"Share of {by}", float(share), percent(share)) for by, share in shares],
    )
    return Section(
        key="mandate",
        title="Mandate coverage",
        summary=[
            ("Standing", "Acting with mandate" if status.with_mandate else "Not acting with mandate"),
            ("Practices", f"{o.practices['agree']:,} of {o.total_practices:,} agreed"),
            ("Patients", f"{o.patients['agree']:,} of {o.total_patients:,} covered"),
            ("Not answered", f"{o.practices['none']:,} practices"),
            ("Expires", day(status.round.expires_on)),
        ],
        chart=overall,
        href=href,
        href_text="Mandate and coverage",
        data={"with_mandate": status.with_mandate},
    )


def pcn_tile(group: LeadershipGroup) -> Section | None:
    round = selectors.current_round(group=group)
    if round is None:
        return None
    rows = list(selectors.pcn_coverage_rows(round=round)[:PCNS_SHOWN])
    panels = []
    for row in rows:
        t = row.tally()
        practices, patients = t.share("agree", by="practices"), t.share("agree", by="patients")
        panels.append(
            Bars(
                title=row.pcn.name if row.pcn else "No PCN",
                description="Share of the PCN's practices that agreed, and of its patients covered.",
                bars=[
                    ("Practices", float(practices), f"{t.practices['agree']} of {t.total_practices}"),
                    ("Patients", float(patients), percent(patients)),
                ],
            )
        )
    return Section(
        key="mandate_by_pcn",
        title="Mandate coverage by PCN",
        chart=SmallMultiples(
            title="Agreement in each PCN",
            description="For each PCN, the practices that agreed and the share of its patients they cover.",
            panels=panels,
        ),
        summary=[("PCNs shown", f"the first {len(rows)} by name")] if len(rows) == PCNS_SHOWN else [],
        href=reverse("governance:mandate", args=[group.slug]),
        href_text="Coverage of every PCN",
    )


def decisions_tile(group: LeadershipGroup) -> Section:
    recent = list(selectors.decisions(group=group).order_by("-decided_at", "-pk")[:DECISIONS_SHOWN])
    waiting = selectors.decisions_for_noting(group=group).count()
    overdue = selectors.categories(group=group).filter(review_date__lt=timezone.localdate()).count()
    return Section(
        key="decisions",
        title="Recent decisions",
        summary=[
            ("Waiting to be noted by the group", f"{waiting:,}"),
            ("Lines of the scheme of delegation overdue for review", f"{overdue:,}"),
        ],
        table=Table(
            head=["Decided", "Decision", "Category", "Status"],
            rows=[[day(d.decided_at), d.title, d.category.name, d.get_status_display()] for d in recent],
            caption="The executive's latest decisions",
        )
        if recent
        else None,
        href=reverse("governance:decisions", args=[group.slug]),
        href_text="Every executive decision",
    )


def register() -> None:
    glance.register_dashboard("mandate", mandate_tile, order=10)
    glance.register_dashboard("mandate_by_pcn", pcn_tile, order=11)
    glance.register_dashboard("decisions", decisions_tile, order=60)
