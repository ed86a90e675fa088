"""The officers' meeting pages: holding or cancelling, attendance, the agenda and the minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from gpvoice.core.context import render
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.permissions import group_member
from gpvoice.directory.models import Person

from . import presenters, selectors, services
from .forms import BALLOT_SEARCH_MAX, ActionForm, CorrectionForm, DecisionForm, ItemForm
from .models import Meeting, MeetingStatus
from .views import meeting_crumbs, meeting_or_404


def _errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _minutes_value(raw: Any) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise services.MeetingError("Give the time for the item in whole minutes, from 1 to 240.")
    return int(raw)


@group_member(roles=OFFICER_ROLES)
def meeting_manage(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    error = None
    if request.method == "POST":
        what = request.POST.get("do", "")
        try:
            if what == "hold":
                services.meeting_hold(meeting=meeting, actor=request.user)
                messages.success(request, "The meeting is marked held: record who attended.")
            elif what == "cancel":
                services.meeting_cancel(meeting=meeting, actor=request.user)
                messages.success(
                    request, "The meeting is cancelled; invitees are told and calendars updated."
                )
            elif what == "attendance":
                present = [p for p in request.POST.getlist("present") if p.isascii() and p.isdigit()]
                if len(present) != len(request.POST.getlist("present")):
                    raise services.MeetingError("Choose attendees from the people invited to this meeting.")
                n = services.attendance_record(
                    meeting=meeting, present=[int(p) for p in present], actor=request.user
                )
                messages.success(request, f"Attendance recorded: {n} present.")
            else:
                raise services.MeetingError("Choose what to do.")
        except services.MeetingError as refusal:
            error = str(refusal)
        else:
            return redirect("meetings:manage", meeting.group.slug, meeting.pk)
    invitations = selectors.invitations(meeting=meeting)
    return render(
        request,
        "meetings/manage.jinja",
        meeting=meeting,
        error=error,
        quorum=selectors.quorum_of(meeting=meeting, rows=invitations),
        attendance=[
            {"value": str(i.pk), "text": f"{i.person.full_name} ({i.status})", "checked": i.attended}
            for i in invitations
        ],
        can_hold=meeting.status == MeetingStatus.PLANNED,
        can_record=meeting.status == MeetingStatus.HELD and meeting.minutes_approved_at is None,
        breadcrumbs=meeting_crumbs(request, meeting, "Manage"),
    )


def _agenda_post(request: HttpRequest, meeting: Meeting, form: ItemForm) -> str | None:
    what = request.POST.get("do", "")
    if what == "draft":
        added = services.agenda_draft(meeting=meeting, actor=request.user)
        messages.success(request, f"{added} items due were added to the agenda.")
        return None
    if what == "add":
        if not form.is_valid():
            return ""  # the form holds its errors, each leading to its field
        try:
            services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except services.MeetingError as refusal:
            form.add_error(None, str(refusal))
            return ""
        messages.success(request, "The item was added.")
        return None
    item = selectors.item_for(meeting=meeting, pk=request.POST.get("item"))
    if item is None:
        return "Choose an item on this meeting's agenda."
    if what == "paper":
        name, data = services.read_upload(request.FILES.get("paper"))
        paper = services.paper_attach(item=item, name=name, data=data, actor=request.user)
        messages.success(request, f"“{paper.name}” was attached to “{item.title}”.")
    elif what in ("up", "down"):
        services.agenda_item_move(item=item, up=what == "up", actor=request.user)
    elif what == "remove":
        services.agenda_item_remove(item=item, actor=request.user)
        messages.success(request, f"“{item.title}” was removed.")
    elif what == "time":
        services.agenda_item_time(
            item=item, minutes_allowed=_minutes_value(request.POST.get("minutes")), actor=request.user
        )
    elif what == "note":
        services.agenda_item_note(item=item, actor=request.user)
        messages.success(request, f"“{item.title}” was noted at this meeting.")
    else:
        return "Choose what to do."
    return None


def _agenda_href(request: HttpRequest) -> str:
    """Where a refusal's summary link leads: the field of the form that was sent, if it has one."""
    item = request.POST.get("item", "")
    if request.POST.get("do") == "time" and item.isascii() and item.isdigit():
        return f"#minutes-{item}"
    if request.POST.get("do") == "paper":
        return "#paper-file"
    return "#maincontent"


MINUTES_FIELDS = {"minutes": "text", "decision": "decision", "action": "action", "correct": "correct"}


@group_member(roles=OFFICER_ROLES)
def meeting_agenda(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    form = ItemForm(request.POST if request.POST.get("do") == "add" else None, prefix="new")
    error = None
    if request.method == "POST":
        try:
            error = _agenda_post(request, meeting, form)
        except services.MeetingError as refusal:
            error = str(refusal)
        if error is None:
            return redirect("meetings:agenda", meeting.group.slug, meeting.pk)
    return render(
        request,
        "meetings/agenda.jinja",
        meeting=meeting,
        items=presenters.items(selectors.items(meeting=meeting), {}),
        form=form,
        error=error,
        planned=meeting.status == MeetingStatus.PLANNED,
        held=meeting.status == MeetingStatus.HELD,
        error_href=_agenda_href(request),
        breadcrumbs=meeting_crumbs(request, meeting, "Agenda"),
    )


DECISION_KEPT = ("hands_for", "hands_opposed", "hands_abstain")


def _minutes_post(request: HttpRequest, meeting: Meeting, owners: Any) -> tuple[str | None, dict[str, Any]]:
    """One of the minutes page's forms; (refusal, what to show again in the form that was sent)."""
    what = request.POST.get("do", "")
    if what == "approve":
        services.minutes_approve(meeting=meeting, actor=request.user)
        messages.success(request, "The minutes are approved. From now on they are corrected, not edited.")
        return None, {}
    item = selectors.item_for(meeting=meeting, pk=request.POST.get("item"))
    if item is None:
        return "Choose an item on this meeting's agenda.", {}
    kept = {"item": item.pk, "do": what, "text": request.POST.get("text", "")[:30_000]}
    if what == "decision":  # the ballot chosen and the hands counted are shown again too
        kept |= {name: request.POST.get(name, "")[:20] for name in DECISION_KEPT}
        kept["ballot"] = request.POST.get("ballot", "")[:BALLOT_SEARCH_MAX]
    try:
        if what == "minutes":
            raw = request.POST.get("version", "")
            version = int(raw) if raw.isascii() and raw.isdigit() else -1
            services.minutes_save(
                item=item, text=request.POST.get("text", ""), version=version, actor=request.user
            )
        elif what == "decision":
            form: Any = DecisionForm(request.POST)
            if not form.is_valid():
                return _errors(form), kept | ({"field": "ballot"} if list(form.errors) == ["ballot"] else {})
            data = form.cleaned_data
            ballot_id = data["ballot"]  # its number, or words from its title
            try:
                if isinstance(ballot_id, str):
                    ballot_id = services.ballot_titled(group=meeting.group, words=ballot_id)
            except services.MeetingError as refusal:
                return str(refusal), kept | {"field": "ballot"}
            services.decision_record(
                item=item,
                text=data["text"],
                ballot_id=ballot_id,
                hands=data["hands"],
                actor=request.user,
            )
        elif what == "action":
            form = ActionForm(request.POST, owners=owners)
            if not form.is_valid():
                return _errors(form), kept
            services.action_create(item=item, actor=request.user, **form.cleaned_data)
        elif what == "correct":
            form = CorrectionForm(request.POST)
            if not form.is_valid():
                return _errors(form), kept
            services.minutes_correct(item=item, actor=request.user, **form.cleaned_data)
        else:
            return "Choose what to do.", {}
    except services.MeetingError as refusal:
        return str(refusal), kept
    messages.success(request, f"Saved: “{item.title}”.")
    return None, {}


@group_member(roles=OFFICER_ROLES)
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    owners = Person.objects.filter(meeting_invitations__meeting=meeting).order_by("full_name")
    error: str | None = None
    kept: dict[str, Any] = {}
    if request.method == "POST":
        try:
            error, kept = _minutes_post(request, meeting, owners)
        except services.MeetingError as refusal:
            error = str(refusal)
        if error is None:
            return redirect("meetings:minutes", meeting.group.slug, meeting.pk)
    approved = meeting.minutes_approved_at is not None
    return render(
        request,
        "meetings/minutes.jinja",
        meeting=meeting,
        items=presenters.items(selectors.items(meeting=meeting), {}),
        ballots=[presenters.ballot_choice(b) for b in selectors.linkable_ballots(group=meeting.group)],
        ballot_search_max=BALLOT_SEARCH_MAX,
        owners=[{"value": "", "text": "Choose an owner"}]
        + [{"value": str(p.pk), "text": p.full_name} for p in owners],
        statuses=[],
        error=error,
        kept=kept,
        error_href=f"#{kept.get('field') or MINUTES_FIELDS[kept['do']]}-{kept['item']}"
        if kept.get("do") in MINUTES_FIELDS
        else "#maincontent",
        quorum=selectors.quorum_of(meeting=meeting),
        writable=meeting.status == MeetingStatus.HELD and not approved,
        approved=approved,
        breadcrumbs=meeting_crumbs(request, meeting, "Minutes"),
    )
