"""Governance on a practice's record and in the annual report (issue 18): the practice's mandate
answers, and the year's mandate coverage over time and decisions by authority."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Count
from django.urls import reverse

from gpvoice.core import glance
from gpvoice.core.formats import day, when
from gpvoice.core.glance import Bars, Section, Table
from gpvoice.core.models import LeadershipGroup

from .coverage import percent
from .models import (
    Answer,
    Authority,
    DecisionStatus,
    ExecutiveDecision,
    MandateAnswer,
    MandateRound,
    RoundCoverage,
)

RECORD_SHOWN = 20
ROUNDS_SHOWN = 20


def practice_answers(group: LeadershipGroup, practice: Any) -> Section | None:
    """Every answer the practice gave to the group's ratifications, latest first (one query)."""
    found = list(
        MandateAnswer.objects.filter(round__group=group, practice=practice)
        .select_related("round__terms", "answered_by")
        .order_by("-created_at", "-pk")[:RECORD_SHOWN]
    )
    if not found:
        return None
    rows = [
        [
            str(a.round.terms),
            Answer(a.answer).label,
            a.answered_by.full_name,
            when(a.created_at),
            "Current" if a.is_current else "Replaced",
        ]
        for a in found
    ]
    return Section(
        key="mandate",
        title="Mandate answers",
        table=Table(head=["Terms", "Answer", "Given by", "When", ""], rows=rows),
        href=reverse("governance:mandate", args=[group.slug]),
        href_text="The mandate",
    )


def coverage_year(group: LeadershipGroup, start: date, end: date) -> Section | None:
    """Each ratification round open during the year, with its kept coverage now."""
    rounds = list(
        MandateRound.objects.filter(group=group, opened_at__date__lt=end, expires_on__gte=start)
        .select_related("terms")
        .order_by("number")[:ROUNDS_SHOWN]
    )
    if not rounds:
        return None
    kept = {c.round_id: c.tally() for c in RoundCoverage.objects.filter(round__in=rounds)}
    rows, bars = [], []
    for r in rounds:
        t = kept.get(r.pk)
        practices = t.share("agree", by="practices") if t else Fraction(0)
        patients = t.share("agree", by="patients") if t else Fraction(0)
        rows.append(
            [
                f"Round {r.number}: {r.terms}",
                day(r.opened_at),
                day(r.expires_on),
                percent(practices),
                percent(patients),
            ]
        )
        bars.append((f"Round {r.number} practices", float(practices), percent(practices)))
        bars.append((f"Round {r.number} patients", float(patients), percent(patients)))
    return Section(
        key="mandate",
        title="Mandate coverage over time",
        chart=Bars(
            title="Agreement by round",
            description="Share of practices and of patients that agreed, by round.",
            bars=bars,
        ),
        table=Table(head=["Round", "Opened", "Expires", "Practices agreed", "Patients covered"], rows=rows),
    )


def decisions_year(group: LeadershipGroup, start: date, end: date) -> Section | None:
    """The executive's decisions of the year, counted by the authority of their category."""
    rows = (
        ExecutiveDecision.objects.filter(group=group, decided_at__date__gte=start, decided_at__date__lt=end)
        .values("category__authority", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], int] = {(r["category__authority"], r["status"]): r["n"] for r in rows}
    if not counts:
        return None
    table = [
        [Authority(a).label, DecisionStatus(s).label, f"{counts[(a, s)]:,}"]
        for a in Authority.values
        for s in DecisionStatus.values
        if counts.get((a, s))
    ]
    return Section(
        key="decisions",
        title="Decisions by authority",
        summary=[("Executive decisions", f"{sum(counts.values()):,}")],
        table=Table(head=["Authority of the category", "Outcome", "Decisions"], rows=table),
    )


def register() -> None:
    glance.register_practice_record("mandate", practice_answers, order=10)
    glance.register_annual_report("mandate", coverage_year, order=10)
    glance.register_annual_report("decisions", decisions_year, order=20)
