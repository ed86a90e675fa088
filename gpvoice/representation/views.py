"""Representation pages for every member: forums, a forum meeting's briefing and report-back, and
the positions register. Thin: parse, call a service or selector, render a presenter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import markdown
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.context import group_of as _group
from gpvoice.core.exports import csv_response
from gpvoice.core.formats import day, when
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member
from gpvoice.core.rules import is_officer

from . import briefing, presenters, selectors, services
from .forms import ItemForm, MeetingDateForm, PositionUpdateForm, ReportForm, SeatForm
from .models import Forum, ForumMeeting, Position, PositionStatus, ReportBack

PAGE = 25


def _officer(request: HttpRequest) -> bool:
    return is_officer(request.membership)  # type: ignore[attr-defined]


def crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    home = ("Representation", reverse("representation:home", args=[_group(request).slug]))
    return group_crumbs(request, home, *trail)


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def forum_or_404(request: HttpRequest, forum_id: int) -> Forum:
    forum = selectors.forum_for(group=_group(request), pk=forum_id)
    if forum is None:
        raise Http404("No such forum")
    return forum


def meeting_or_404(request: HttpRequest, meeting_id: int) -> ForumMeeting:
    meeting = selectors.meeting_for(group=_group(request), pk=meeting_id)
    if meeting is None:
        raise Http404("No such forum meeting")
    return meeting


@group_member()
def home(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    page = page_of(selectors.forums_for(group=group), request, per_page=PAGE)
    return render(
        request,
        "representation/home.jinja",
        rows=[presenters.forum_row(f, group.slug) for f in page.object_list],
        caption=page_caption(page, "forums"),
        pages=page_links(page, request),
        can_manage=_officer(request),
        breadcrumbs=group_crumbs(request, ("Representation", None)),
    )


def _forum_post(request: HttpRequest, forum: Forum, seat_form: SeatForm, date_form: MeetingDateForm) -> bool:
    """Add a seat or a meeting date; False with the errors on the form that was sent."""
    what = request.POST.get("do", "")
    form: Any = seat_form if what == "add_seat" else date_form if what == "add_meeting" else None
    if form is None or not form.is_valid():
        if form is None:
            seat_form.add_error(None, "Choose what to do.")
        return False
    try:
        if what == "add_seat":
            seat = services.seat_add(forum=forum, title=form.cleaned_data["title"], actor=request.user)
            messages.success(
                request, f"The seat “{seat.title}” was added: appoint its representative and deputy."
            )
        else:
            meeting = services.forum_meeting_add(forum=forum, on=form.cleaned_data["on"], actor=request.user)
            messages.success(request, f"{forum.name} on {day(meeting.on)} was added.")
    except services.RepresentationError as refusal:
        form.add_error(None, str(refusal))
        return False
    return True


@group_member()
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = forum_or_404(request, forum_id)
    what = request.POST.get("do", "") if request.method == "POST" else ""
    posted = request.method == "POST"
    seat_form = SeatForm(request.POST if posted and what != "add_meeting" else None)  # also takes "choose"
    date_form = MeetingDateForm(request.POST if what == "add_meeting" else None)
    if request.method == "POST" and _forum_post(request, forum, seat_form, date_form):
        return redirect("representation:forum", forum.group.slug, forum.pk)
    seats = selectors.seats_of(forum=forum)
    held = selectors.holders(seats=seats)
    can_manage = _officer(request)
    page = page_of(selectors.meetings_of(forum=forum), request, per_page=PAGE)
    return render(
        request,
        "representation/forum.jinja",
        forum=forum,
        seat_rows=[presenters.seat_row(s, held[s.pk], can_manage, forum.group.slug) for s in seats],
        meeting_rows=[presenters.meeting_row(m, forum.group.slug) for m in page.object_list],
        meetings_caption=page_caption(page, "forum meetings"),
        pages=page_links(page, request),
        rules=f"Briefing {forum.briefing_days} days before each meeting; report-back within "
        f"{forum.report_days} days after.",
        can_manage=can_manage,
        seat_form=seat_form,
        date_form=date_form,
        form=seat_form if seat_form.errors else date_form,  # the page title says "Error:" when either has
        breadcrumbs=crumbs(request, (forum.name, None)),
    )


def _meeting_post(request: HttpRequest, meeting: ForumMeeting, item_form: ItemForm) -> str | None:
    """Do what was asked; an error message, or "" when the item form holds the errors."""
    what = request.POST.get("do", "")
    if what == "add_item":
        if not item_form.is_valid():
            return ""
        try:
            services.briefing_item_add(meeting=meeting, actor=request.user, **item_form.cleaned_data)
        except services.RepresentationError as refusal:
            item_form.add_error(None, str(refusal))
            return ""
        messages.success(request, "The item was added to the briefing.")
    elif what == "send":
        sent = services.briefing_send(meeting=meeting, actor=request.user)
        messages.success(request, f"The briefing was sent to {sent.person.full_name}.")
    elif what == "cancel_meeting":
        services.forum_meeting_cancel(meeting=meeting, actor=request.user)
        messages.success(request, "The forum meeting is marked cancelled: no briefing or report-back is due.")
    else:
        return "Choose what to do."
    return None


def _report_summary(report: ReportBack) -> dict[str, Any]:
    return {
        "filed": f"Filed {when(report.filed_at)}"
        + (f" by {report.person.full_name}" if report.person else ""),
        "attended": "Attended" if report.attended else "Not attended",
        "held": report.get_positions_held_display(),
        "discussed": markdown.render(report.discussed),
        "decisions": markdown.render(report.decisions) if report.decisions else "",
        "asks": markdown.render(report.asks) if report.asks else "",
        "held_notes": markdown.render(report.held_notes) if report.held_notes else "",
        "noted": f"Noted by the group {when(report.noted_at)}" if report.noted_at else "",
    }


def _added_since(items: list[Any], sent: Any) -> str:
    later = sum(1 for item in items if item.created_at > sent.sent_at)
    if not later:
        return ""
    return f" {later} item{'s' if later > 1 else ''} added since: an officer sends it again to include them."


@group_member()
def meeting_detail(request: HttpRequest, forum_meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, forum_meeting_id)
    forum = meeting.forum
    error = None
    item_form = ItemForm(request.POST if request.POST.get("do") == "add_item" else None)
    if request.method == "POST":
        try:
            error = _meeting_post(request, meeting, item_form)
        except services.RepresentationError as refusal:
            error = str(refusal)
        if error is None:
            return redirect("representation:meeting", forum.group.slug, meeting.pk)
    sent = selectors.briefing_of(meeting=meeting)
    if sent is not None:
        services.briefing_read(briefing=sent, actor=request.user)
    items = selectors.briefing_items(meeting=meeting)
    text = sent.text if sent else briefing.compose(meeting, selectors.relevant_positions(forum=forum), items)
    ahead = not meeting.cancelled and meeting.on >= timezone.localdate()
    may_write = _officer(request) or selectors.holds_seat_at(user=request.user, forum=forum)
    report = selectors.report_of(meeting=meeting)
    return render(
        request,
        "representation/meeting.jinja",
        meeting=meeting,
        forum=forum,
        error=error,
        title=f"{forum.name}, {day(meeting.on)}",
        briefing_html=markdown.render(text),
        briefing_state=(
            f"Sent to {sent.person.full_name} {when(sent.sent_at)}"
            + (", read." if sent.read_at else ", not yet read.")
            + _added_since(items, sent)
            if sent
            else f"Not sent yet: due {day(meeting.briefing_due_on)}. This is what it would say now."
        ),
        can_add_item=ahead and may_write,
        can_send=ahead and _officer(request),
        can_cancel=_officer(request) and not meeting.cancelled and report is None,
        item_form=item_form,
        form=item_form,
        report=_report_summary(report) if report else None,
        can_file=report is None
        and may_write
        and not meeting.cancelled
        and meeting.on <= timezone.localdate(),
        report_due=f"Report-back due by {day(meeting.report_due_on)}.",
        breadcrumbs=crumbs(
            request,
            (forum.name, reverse("representation:forum", args=[forum.group.slug, forum.pk])),
            (day(meeting.on), None),
        ),
    )


@group_member()
def report_file(request: HttpRequest, forum_meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, forum_meeting_id)
    forum = meeting.forum
    form = ReportForm(request.POST or None, initial={"attended": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_back_file(meeting=meeting, actor=request.user, **form.cleaned_data)
        except services.RepresentationError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your report-back was filed and published to practices.")
            return redirect("representation:meeting", forum.group.slug, meeting.pk)
    filed = hasattr(meeting, "report")
    may_write = _officer(request) or selectors.holds_seat_at(user=request.user, forum=forum)
    return render(
        request,
        "representation/report.jinja",
        form=form,
        title=f"Report-back: {forum.name}, {day(meeting.on)}",
        blocked=(
            "A report-back has already been filed for this meeting."
            if filed
            else ""
            if may_write
            else f"Only the officers and the representatives at {forum.name} file its report-backs."
        ),
        back=reverse("representation:meeting", args=[forum.group.slug, meeting.pk]),
        breadcrumbs=crumbs(
            request,
            (forum.name, reverse("representation:forum", args=[forum.group.slug, forum.pk])),
            (day(meeting.on), reverse("representation:meeting", args=[forum.group.slug, meeting.pk])),
            ("Report-back", None),
        ),
    )


@group_member()
def positions(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    status = request.GET.get("status", "")
    page = page_of(selectors.positions_for(group=group, status=status), request, per_page=PAGE)
    return render(
        request,
        "representation/positions.jinja",
        rows=[presenters.position_row(p, group.slug) for p in page.object_list],
        caption=page_caption(page, "positions"),
        pages=page_links(page, request),
        filters=[
            {"text": "All", "href": "?", "current": status not in PositionStatus.values},
            *(
                {"text": label, "href": f"?status={value}", "current": status == value}
                for value, label in PositionStatus.choices
            ),
        ],
        can_manage=_officer(request),
        csv_href=reverse("representation:positions_csv", args=[group.slug])
        + (f"?status={status}" if status in PositionStatus.values else ""),
        breadcrumbs=crumbs(request, ("Positions", None)),
    )


@group_member()
def positions_csv(request: HttpRequest) -> Any:
    group = _group(request)
    rows = (
        [
            p.topic,
            p.statement,
            p.get_basis_kind_display(),
            p.basis_label,
            p.agreed_on.isoformat(),
            p.review_on.isoformat(),
            p.get_status_display(),
            "published" if p.published else "internal",
        ]
        for p in selectors.positions_for(group=group, status=request.GET.get("status", "")).iterator(
            chunk_size=500
        )
    )
    head = ["Topic", "Position", "Basis", "Rests on", "Agreed", "Review", "Status", "Shown"]
    return csv_response(f"{group.slug}-positions", head, rows)


@group_member()
def position_detail(request: HttpRequest, position_id: int) -> HttpResponse:
    group = _group(request)
    position = selectors.position_for(group=group, pk=position_id)
    if position is None:
        raise Http404("No such position")
    initial = {"status": position.status, "review_on": position.review_on, "published": position.published}
    form = PositionUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_update(position=position, actor=request.user, **form.cleaned_data)
        except services.RepresentationError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The position was updated.")
            return redirect("representation:position", group.slug, position.pk)
    return render(
        request,
        "representation/position.jinja",
        position=position,
        statement=markdown.render(position.statement),
        status_tag=presenters.position_status(position),
        facts=_position_facts(position),
        form=form,
        can_manage=_officer(request),
        breadcrumbs=crumbs(
            request,
            ("Positions", reverse("representation:positions", args=[group.slug])),
            (position.topic, None),
        ),
    )


def _position_facts(position: Position) -> list[dict[str, Any]]:
    basis: dict[str, Any] = {"text": position.basis_label}
    if position.basis_href:
        basis["href"] = position.basis_href
    return [
        {"key": "Rests on", "value": basis},
        {"key": "Agreed", "value": {"text": day(position.agreed_on)}},
        {"key": "Review", "value": {"text": day(position.review_on)}},
        {
            "key": "Shown",
            "value": {"text": "On the public page" if position.published else "Internal to the group"},
        },
    ]
