"""The officers' representation pages: forums and seats, appointments, positions, coverage."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gpvoice.core.context import render
from gpvoice.core.exports import csv_response
from gpvoice.core.formats import day
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member

from . import presenters, selectors, services
from .forms import AppointForm, ForumForm, PositionForm
from .models import Holder
from .views import _group, crumbs, forum_or_404

SHOWN = 25


def _save_forum(request: HttpRequest, form: ForumForm, forum: Any = None) -> Any:
    """Create (or, given ``forum``, change) a forum from the form; None with the errors on it."""
    data = dict(form.cleaned_data)
    organiser = selectors.organiser_by_code(code=data.pop("organiser"))
    if organiser is None:
        form.add_error("organiser", "Enter the ODS code of an ICB, Place, trust or council in the directory")
        return None
    try:
        if forum is None:
            return services.forum_create(
                group=_group(request), organiser=organiser, actor=request.user, **data
            )
        return services.forum_update(forum=forum, organiser=organiser, actor=request.user, **data)
    except services.RepresentationError as refusal:
        form.add_error(None, str(refusal))
        return None


@group_member(roles=OFFICER_ROLES)
def forum_new(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = ForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (forum := _save_forum(request, form)):
        messages.success(request, f"{forum.name} was added: add its seats and meeting dates.")
        return redirect("representation:forum", group.slug, forum.pk)
    return render(
        request,
        "representation/forum_new.jinja",
        form=form,
        heading="Add a forum",
        button="Add the forum",
        breadcrumbs=crumbs(request, ("Add a forum", None)),
    )


@group_member(roles=OFFICER_ROLES)
def forum_edit(request: HttpRequest, forum_id: int) -> HttpResponse:
    group = _group(request)
    forum = forum_or_404(request, forum_id)
    initial = {
        "name": forum.name,
        "organiser": forum.organiser.ods_code,
        "cadence": forum.cadence,
        "topics": forum.topics,
        "briefing_days": forum.briefing_days,
        "report_days": forum.report_days,
    }
    form = ForumForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save_forum(request, form, forum):
        messages.success(request, "The forum was changed; meetings ahead take the new days.")
        return redirect("representation:forum", group.slug, forum.pk)
    return render(
        request,
        "representation/forum_new.jinja",
        form=form,
        heading=f"Change {forum.name}",
        button="Save the forum",
        breadcrumbs=crumbs(
            request,
            (forum.name, reverse("representation:forum", args=[group.slug, forum.pk])),
            ("Change", None),
        ),
    )


def _appoint(request: HttpRequest, seat: Any, form: AppointForm) -> list[str]:
    """Appoint from the form; returns what the conflict check found when it needs a reason."""
    data = dict(form.cleaned_data)
    person = selectors.person_by_email(group=seat.forum.group, email=data.pop("email"))
    if person is None:
        form.add_error(
            "email", "Enter the email address of someone who belongs to the group or is on its roll"
        )
        return []
    try:
        appointment = services.seat_appoint(seat=seat, person=person, actor=request.user, **data)
    except services.ConflictsFound as found:
        form.add_error("proceed_reason", "The check found something: give a reason to appoint anyway")
        return found.findings
    except services.RepresentationError as refusal:
        form.add_error(None, str(refusal))
        return []
    note = (
        f" The check found: {appointment.findings}" if appointment.findings else " The check found nothing."
    )
    messages.success(
        request, f"{person.full_name} was appointed {appointment.get_holder_display().lower()}.{note}"
    )
    return []


@group_member(roles=OFFICER_ROLES)
def seat_manage(request: HttpRequest, seat_id: int) -> HttpResponse:
    group = _group(request)
    seat = selectors.seat_for(group=group, pk=seat_id)
    if seat is None:
        raise Http404("No such seat")
    form = AppointForm(request.POST if request.POST.get("do") == "appoint" else None)
    findings: list[str] = []
    error = None
    if request.method == "POST":
        what = request.POST.get("do", "")
        if what == "appoint" and form.is_valid():
            findings = _appoint(request, seat, form)
            if not form.errors:
                return redirect("representation:seat", group.slug, seat.pk)
        elif what == "vacate":
            appointment = selectors.appointment_for(seat=seat, pk=request.POST.get("appointment", ""))
            if appointment is None:
                error = "Choose a current appointment to this seat."
            else:
                try:
                    services.seat_vacate(appointment=appointment, actor=request.user)
                except services.RepresentationError as refusal:
                    error = str(refusal)
                else:
                    messages.success(request, f"{appointment.person.full_name}'s appointment was ended.")
                    return redirect("representation:seat", group.slug, seat.pk)
        elif what != "appoint":
            error = "Choose what to do."
    held = selectors.holders(seats=[seat])[seat.pk]
    return render(
        request,
        "representation/seat.jinja",
        seat=seat,
        form=form,
        error=error,
        findings=findings,
        holders=[
            {
                "as": Holder(h).label,
                "name": a.person.full_name,
                "term": f"{day(a.starts_on)} to {day(a.term_ends_on)}",
                "public": "Named publicly" if a.name_public else "Not named publicly",
                "findings": a.findings,
                "reason": a.proceed_reason,
                "system_role": a.system_role,
                "id": a.pk,
            }
            for h in Holder.values
            if (a := held.get(h)) is not None
        ],
        history=[
            [
                presenters.text(a.person.full_name),
                presenters.text(a.get_holder_display()),
                presenters.text(f"{day(a.starts_on)} to {day(timezone.localtime(a.ended_at).date())}"),
            ]
            for a in selectors.past_holders(seat=seat)
            if a.ended_at is not None
        ],
        breadcrumbs=crumbs(
            request,
            (seat.forum.name, reverse("representation:forum", args=[group.slug, seat.forum_id])),
            (seat.title, None),
        ),
    )


@group_member(roles=OFFICER_ROLES)
def position_new(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(group=group, actor=request.user, **form.cleaned_data)
        except services.RepresentationError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"The position on {position.topic} was recorded.")
            return redirect("representation:position", group.slug, position.pk)
    return render(
        request,
        "representation/position_new.jinja",
        form=form,
        breadcrumbs=crumbs(
            request,
            ("Positions", reverse("representation:positions", args=[group.slug])),
            ("Record a position", None),
        ),
    )


@group_member(roles=OFFICER_ROLES)
def coverage(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    slug = group.slug
    counts = selectors.coverage_counts(group=group)
    page = page_of(selectors.records(group=group), request, per_page=SHOWN)
    no_rep = selectors.seats_without(group=group, holder=Holder.REPRESENTATIVE)[:SHOWN]
    no_deputy = selectors.seats_without(group=group, holder=Holder.DEPUTY)[:SHOWN]
    return render(
        request,
        "representation/coverage.jinja",
        counts=[
            {
                "key": {"text": "Seats without a representative"},
                "value": {"text": str(counts["no_representative"])},
            },
            {"key": {"text": "Seats without a deputy"}, "value": {"text": str(counts["no_deputy"])}},
            {
                "key": {"text": "Terms ending within three months"},
                "value": {"text": str(counts["terms_ending"])},
            },
            {"key": {"text": "Briefings missing"}, "value": {"text": str(counts["missing_briefings"])}},
            {"key": {"text": "Report-backs overdue"}, "value": {"text": str(counts["overdue_reports"])}},
        ],
        sections=[
            (
                "no-representative",
                "Seats without a representative",
                ["Forum", "Seat"],
                [presenters.seat_gap_row(s) for s in no_rep],
                counts["no_representative"],
            ),
            (
                "no-deputy",
                "Seats without a deputy",
                ["Forum", "Seat"],
                [presenters.seat_gap_row(s) for s in no_deputy],
                counts["no_deputy"],
            ),
            (
                "terms",
                "Terms ending within three months",
                ["Forum", "Seat", "As", "Person", "Term ends"],
                [presenters.term_row(a) for a in selectors.terms_ending(group=group)[:SHOWN]],
                counts["terms_ending"],
            ),
            (
                "briefings",
                "Forum meetings without a briefing",
                ["Meeting", "Briefing"],
                [
                    presenters.missing_briefing_row(m, slug)
                    for m in selectors.missing_briefings(group=group)[:SHOWN]
                ],
                counts["missing_briefings"],
            ),
            (
                "reports",
                "Forum meetings without a report-back",
                ["Meeting", "Report-back"],
                [
                    presenters.awaited_report_row(m, slug)
                    for m in selectors.reports_awaited(group=group)[:SHOWN]
                ],
                None,
            ),
        ],
        shown=SHOWN,
        record_head=presenters.RECORD_HEAD,
        record_rows=[presenters.record_row(a) for a in page.object_list],
        record_caption=page_caption(page, "current appointments"),
        pages=page_links(page, request, anchor="#records"),
        breadcrumbs=crumbs(request, ("Coverage", None)),
    )


def _coverage_lines(group: Any) -> Iterator[list[str]]:
    for s in selectors.seats_without(group=group, holder=Holder.REPRESENTATIVE).iterator(chunk_size=500):
        yield ["Seat without a representative", s.forum.name, s.title, "", "", "", "", "", "", "", ""]
    for s in selectors.seats_without(group=group, holder=Holder.DEPUTY).iterator(chunk_size=500):
        yield ["Seat without a deputy", s.forum.name, s.title, "", "", "", "", "", "", "", ""]
    for m in selectors.missing_briefings(group=group).iterator(chunk_size=500):
        yield ["Meeting without a briefing", m.forum.name, "", "", "", m.on.isoformat(), "", "", "", "", ""]
    for m in selectors.reports_awaited(group=group).iterator(chunk_size=500):
        yield [
            "Meeting without a report-back",
            m.forum.name,
            "",
            "",
            "",
            m.on.isoformat(),
            "",
            "",
            "",
            "",
            m.report_due_on.isoformat(),
        ]
    for a in selectors.records(group=group).iterator(chunk_size=500):
        v = presenters.record_values(a)
        yield [
            "Record",
            v[2],
            v[3],
            v[0],
            v[1],
            "",
            v[4],
            v[5],
            v[6],
            v[7],
            v[8] + " overdue; term ends " + v[9],
        ]


@group_member(roles=OFFICER_ROLES)
def coverage_csv(request: HttpRequest) -> Any:
    group = _group(request)
    head = [
        "What",
        "Forum",
        "Seat",
        "Person",
        "As",
        "Meeting on",
        "System role",
        "Meetings held",
        "Briefed",
        "Reported back",
        "Notes",
    ]
    return csv_response(f"{group.slug}-representation-coverage", head, _coverage_lines(group))
