"""What engagement shows at a glance (core.glance): engagement by PCN on the dashboard, a
practice's consultation answers on its record, and the year in the annual report."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gpvoice.core import engagement as registry
from gpvoice.core import glance
from gpvoice.core.formats import day
from gpvoice.core.models import LeadershipGroup

from .models import Bulletin, BulletinStatus, Consultation, ConsultationStatus, PcnEngagement, Response

QUIETEST = 12


def _quietest(group: LeadershipGroup, year: int, n: int) -> list[PcnEngagement]:
    from .selectors import pcn_figures

    return list(pcn_figures(group=group, year=year)[:n])


def _cell(figures: dict[str, Any], key: str) -> float | None:
    took, asked = figures.get(key, (0, 0))
    return None if not asked else took / asked


def dashboard(group: LeadershipGroup) -> glance.Section | None:
    year = timezone.localdate().year
    rows = _quietest(group, year, QUIETEST)
    if not rows:
        return None
    signals = registry.signals()
    return glance.Section(
        key="engagement",
        title="Engagement by PCN",
        summary=[("Year", str(year)), ("PCNs shown", f"The {len(rows)} quietest")],
        chart=glance.Heatmap(
            title=f"Share taken part, {year}: the quietest PCNs first",
            columns=[s.label for s in signals],
            rows=[
                (r.pcn.name if r.pcn else "No PCN", [_cell(r.figures, s.key) for s in signals]) for r in rows
            ],
            description="Each cell: the share of the times a PCN's practices were asked that they took part.",
        ),
        href=reverse("engagement:view", args=[group.slug]) + "?view=pcns",
        href_text="Engagement by practice and PCN",
        data={"year": year, "pcns": [{"pcn": r.pcn_id, "figures": r.figures} for r in rows]},
    )


def practice_record(group: LeadershipGroup, practice: Any) -> glance.Section | None:
    """This practice's own answers (titles and dates); never another practice's."""
    rows = list(
        Response.objects.filter(
            consultation__group=group, practice=practice, is_current=True, for_practice=True
        )
        .select_related("consultation", "person")
        .order_by("-created_at")[:50]
    )
    if not rows:
        return None
    return glance.Section(
        key="consultations",
        title="Consultation answers",
        table=glance.Table(
            head=["Consultation", "Answered", "By"],
            rows=[[r.consultation.title, day(r.created_at.date()), r.person.full_name] for r in rows],
        ),
        data={"responses": [{"consultation": r.consultation_id, "answers": r.answers} for r in rows]},
    )


def _at(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def annual_report(group: LeadershipGroup, start: date, end: date) -> glance.Section | None:
    bulletins = Bulletin.objects.filter(
        group=group, status=BulletinStatus.SENT, sent_at__gte=_at(start), sent_at__lt=_at(end)
    ).count()
    consultations = (
        Consultation.objects.filter(group=group, opened_at__gte=_at(start), opened_at__lt=_at(end))
        .exclude(status=ConsultationStatus.DRAFT)
        .count()
    )
    rows = _quietest(group, start.year, QUIETEST)
    if not (bulletins or consultations or rows):
        return None
    signals = registry.signals()
    return glance.Section(
        key="engagement",
        title="Engagement with practices",
        summary=[("Bulletins sent", f"{bulletins:,}"), ("Consultations run", f"{consultations:,}")],
        table=glance.Table(
            head=["PCN", *[s.label for s in signals]],
            rows=[
                [r.pcn.name if r.pcn else "No PCN"]
                + [f"{100 * c:.0f}%" if (c := _cell(r.figures, s.key)) is not None else "–" for s in signals]
                for r in rows
            ],
            caption=f"The {QUIETEST} quietest PCNs, by the share of times their practices took part",
        )
        if rows
        else None,
        data={"bulletins": bulletins, "consultations": consultations},
    )


glance.register_dashboard("engagement", dashboard, order=50)
glance.register_practice_record("consultations", practice_record, order=50)
glance.register_annual_report("engagement", annual_report, order=50)
