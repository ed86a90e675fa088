"""Meeting pages: thin views that parse, call a service or selector, and render a presenter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core import agenda as registry
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import OFFICER_ROLES, Role
from gpvoice.core.permissions import group_member, public, signed_in
from gpvoice.directory.models import Person

from . import calendar, pdf, presenters, selectors, services
from .forms import ActionStatusForm, InterestForm, MeetingForm, SettingsForm
from .models import Meeting, MeetingStatus

PAGE_SIZE = 25
ICS = "text/calendar; charset=utf-8"


def _group(request: HttpRequest) -> Any:
    return request.group  # type: ignore[attr-defined]


def _membership(request: HttpRequest) -> Any:
    return request.membership  # type: ignore[attr-defined]


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    return group_crumbs(request, ("Meetings", reverse("meetings:list", args=[_group(request).slug])), *trail)


def meeting_or_404(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_for(group=_group(request), pk=meeting_id)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def meeting_crumbs(request: HttpRequest, meeting: Meeting, current: str) -> list[dict[str, str]]:
    href = reverse("meetings:detail", args=[meeting.group.slug, meeting.pk])
    return _crumbs(request, (meeting.title, href), (current, None))


def can_see_papers(request: HttpRequest) -> bool:
    return selectors.can_see_papers(_membership(request), selectors.settings_for(group=_group(request)))


@group_member()
def meeting_list(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    page = Paginator(selectors.meetings_for(group=group), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/list.jinja",
        rows=[presenters.list_row(m) for m in page.object_list],
        page=page,
        can_manage=selectors.can_manage(_membership(request)),
        breadcrumbs=group_crumbs(request, ("Meetings", None)),
    )


def _chairs(group: Any) -> Any:
    """People who may chair: those on the roll now, and the group's officers in the directory."""
    roll = [pk for pk, _ in registry.roll(group)]
    return Person.objects.filter(pk__in=roll) | Person.objects.filter(
        user__memberships__group=group, user__memberships__role__in=OFFICER_ROLES
    )


@group_member(roles=OFFICER_ROLES)
def meeting_new(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        # Looked up by email only when a meeting is called: the page itself never lists the roll.
        chairs=_chairs(group) if request.method == "POST" else Person.objects.none(),
        initial=MeetingForm.initial_values(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                group=group,
                body=data["body"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                video_link=data["video_link"],
                chair=data["chair"],
                actor=request.user,
            )
        except services.MeetingError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The meeting is called and the invitations are on their way.")
            return redirect("meetings:detail", group.slug, meeting.pk)
    return render(
        request, "meetings/new.jinja", form=form, breadcrumbs=_crumbs(request, ("Call a meeting", None))
    )


@group_member(roles=OFFICER_ROLES)
def meeting_settings(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    current = selectors.settings_for(group=group)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "quorum_num": current.quorum_num,
            "quorum_den": current.quorum_den,
            "observers_see_papers": current.observers_see_papers,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_settings_update(group=group, actor=request.user, **form.cleaned_data)
        except services.MeetingError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The meeting settings were saved.")
            return redirect("meetings:list", group.slug)
    return render(
        request,
        "meetings/settings.jinja",
        form=form,
        breadcrumbs=_crumbs(request, ("Meeting settings", None)),
    )


def _detail_post(request: HttpRequest, meeting: Meeting) -> str | None:
    """Apologies, an interest on an item or an action's status, from the detail page; a refusal's text."""
    what = request.POST.get("do", "")
    mine = selectors.invitation_of(meeting=meeting, user=request.user)
    if what == "apologies":
        if mine is None:
            return "Only people invited to the meeting send apologies for it."
        services.apologies_send(meeting=meeting, person=mine.person, actor=request.user)
        messages.success(request, "Your apologies were sent.")
    elif what == "interest":
        item = selectors.item_for(meeting=meeting, pk=request.POST.get("item"))
        form = InterestForm(request.POST)
        if item is None:
            return "Choose an item on this meeting's agenda."
        if not form.is_valid():
            return " ".join(str(e) for errors in form.errors.values() for e in errors)
        services.interest_declare(
            item=item,
            person=mine.person if mine else None,
            nature=form.cleaned_data["nature"],
            withdrew=form.cleaned_data["withdrew"],
            actor=request.user,
        )
        messages.success(request, "Your interest was recorded against the item.")
    elif what == "action":
        action = selectors.action_for(group=meeting.group, pk=request.POST.get("action"))
        status = ActionStatusForm(request.POST)
        if action is None:
            return "Choose an action of this group."
        if not status.is_valid():
            return "Choose a status: open, done or dropped."
        services.action_status_set(action=action, status=status.cleaned_data["status"], actor=request.user)
        messages.success(request, "The action was updated.")
    else:
        return "Choose what to do."
    return None


@group_member()
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    error = None
    if request.method == "POST":
        try:
            error = _detail_post(request, meeting)
        except services.MeetingError as refusal:
            error = str(refusal)
        if error is None:
            return redirect("meetings:detail", meeting.group.slug, meeting.pk)
    action = request.POST.get("action", "")
    href = {
        "interest": "#interest-nature",
        "action": f"#status-{action}" if action.isascii() and action.isdigit() else "#maincontent",
    }.get(request.POST.get("do", ""), "#maincontent")
    return render(
        request, "meetings/detail.jinja", error=error, error_href=href, **_meeting_context(request, meeting)
    )


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """What the detail and pack pages show: a fixed number of queries, whatever the meeting's size."""
    papers = can_see_papers(request)
    invitations = selectors.invitations(meeting=meeting)
    quorum = selectors.quorum_of(meeting=meeting, rows=invitations)
    rows = selectors.items(meeting=meeting) if papers else []
    declarations = selectors.declarations_by_organisation(
        items=rows, people=[i.person_id for i in invitations]
    )
    mine = next((i for i in invitations if i.person.user_id == request.user.pk), None)
    planned = meeting.status == MeetingStatus.PLANNED
    return {
        "meeting": meeting,
        "tag": presenters.status_tag(meeting),
        "summary": presenters.summary(meeting, quorum),
        "quorum": quorum,
        "invitees": presenters.invitee_rows(invitations, held=meeting.status == MeetingStatus.HELD),
        "items": presenters.items(
            rows,
            declarations,
            viewer=mine.person_id if mine else None,
            manages=selectors.can_manage(_membership(request)),
        ),
        "can_see_papers": papers,
        "can_manage": selectors.can_manage(_membership(request)),
        "can_send_apologies": planned and mine is not None and mine.apologies_at is None,
        "can_declare": papers
        and mine is not None
        and meeting.status != MeetingStatus.CANCELLED
        and meeting.minutes_approved_at is None,
        "my_person_id": mine.person_id if mine else None,
        "breadcrumbs": _crumbs(request, (meeting.title, None)),
    }


@group_member()
def meeting_pack(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_or_404(request, meeting_id)
    context = _meeting_context(request, meeting)
    context["breadcrumbs"] = meeting_crumbs(request, meeting, "Meeting pack")
    response = render(request, "meetings/pack.jinja", **context)
    response["Cache-Control"] = "no-store"
    return response


@group_member()
def meeting_pack_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The pack page as a PDF download: the same check, the same presenter, no network."""
    meeting = meeting_or_404(request, meeting_id)
    context = _meeting_context(request, meeting)
    context["breadcrumbs"] = meeting_crumbs(request, meeting, "Meeting pack")
    page = render(request, "meetings/pack.jinja", printing_pdf=True, **context)
    body = pdf.pack_pdf(page.content.decode(), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="meeting-pack-{meeting.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@group_member(roles=selectors.PAPER_ROLES | {Role.OBSERVER})  # observers only if the group allows
def paper_download(request: HttpRequest, meeting_id: int, paper_id: int) -> FileResponse:
    """A paper, to those who may read the meeting's papers: never cached, never sniffed."""
    meeting = meeting_or_404(request, meeting_id)
    paper = selectors.paper_for(meeting=meeting, pk=paper_id) if can_see_papers(request) else None
    if paper is None:
        raise Http404("No such paper")
    response = FileResponse(
        paper.file.open("rb"), as_attachment=True, filename=paper.name, content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@group_member()
def group_calendar(request: HttpRequest) -> HttpResponse:
    """The group's meetings as an iCalendar feed, for its members (a signed-in download)."""
    group = _group(request)
    meetings = list(selectors.meetings_for(group=group).select_related("group")[:500])
    response = HttpResponse(calendar.calendar(meetings, name=group.name), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{group.slug}-meetings.ics"'
    response["Cache-Control"] = "no-store"
    return response


SHOWN_ONCE = "calendar_address_shown_once"


@signed_in
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The person's private calendar address: make a new one (the old stops) or revoke it.

    The address is shown once, after the redirect, from the session; only its hash is stored."""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, "Your calendar address no longer works.")
        elif request.POST.get("do") == "new":
            token = services.calendar_feed_create(actor=request.user)
            request.session[SHOWN_ONCE] = request.build_absolute_uri(reverse("meetings:feed", args=[token]))
        return redirect("meetings:my_calendar")
    response = render(
        request,
        "meetings/my_calendar.jinja",
        feed=selectors.live_feed(user=request.user),
        address=request.session.pop(SHOWN_ONCE, None),
    )
    response["Cache-Control"] = "no-store"
    return response


@public
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the private address reads the meetings of its owner's groups; revoked: not found."""
    user = selectors.feed_owner(token_hash=services.token_hash(token))
    if user is None:  # never made, or revoked: gone, as the group's other one-time links are
        return HttpResponse("This calendar address no longer works.", status=410, content_type="text/plain")
    body = calendar.calendar(selectors.meetings_for_user(user=user), name="GP Voice meetings")
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
