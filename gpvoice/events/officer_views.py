"""Officers' pages for one session: change or cancel it, the bookings (remove, attendance), the CSV."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import render
from gpvoice.core.exports import csv_response
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.permissions import group_member

from . import presenters, selectors, services
from .forms import SessionForm
from .models import Session
from .views import PAGE_SIZE, _crumbs, _details, session_or_404


@group_member(roles=OFFICER_ROLES)
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_or_404(request, session_id)
    posted = request.POST if request.method == "POST" else None
    if posted is not None and posted.get("do") == "cancel_session":
        try:
            services.session_cancel(session=session, actor=request.user)
        except services.EventError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "The session is cancelled and everyone booked has been told.")
        return redirect("events:detail", session.group.slug, session.pk)
    form = SessionForm(posted, initial=SessionForm.from_session(session))
    if posted is not None and form.is_valid():
        try:
            services.session_update(session=session, details=_details(form.cleaned_data), actor=request.user)
        except services.EventError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The session is changed.")
            return redirect("events:detail", session.group.slug, session.pk)
    href = reverse("events:detail", args=[session.group.slug, session.pk])
    return render(
        request,
        "events/form.jinja",
        form=form,
        heading=f"Change {session.title}",
        submit="Save the changes",
        can_cancel=session.status == "scheduled",
        breadcrumbs=_crumbs(request, (session.title, href), ("Change", None)),
    )


def _bookings_post(request: HttpRequest, session: Session) -> str:
    what = request.POST.get("do", "")
    try:
        if what == "remove_booking":
            services.booking_remove(
                session=session, booking_id=request.POST.get("booking", ""), actor=request.user
            )
            messages.success(request, "The booking is removed; a freed place went to the waiting list.")
        elif what == "mark":
            count = services.attendance_record(
                session=session, attended=request.POST.getlist("attended"), actor=request.user
            )
            messages.success(request, f"Attendance is recorded: {count} attended.")
        else:
            return "Choose what to do."
    except services.EventError as refusal:
        return str(refusal)
    return ""


@group_member(roles=OFFICER_ROLES)
def session_bookings(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_or_404(request, session_id)
    error = ""
    if request.method == "POST":
        error = _bookings_post(request, session)
        if not error:
            return redirect("events:bookings", session.group.slug, session.pk)
    page = Paginator(selectors.bookings_for(session=session), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = presenters.booking_rows(list(page.object_list))
    marking = presenters.can_mark(session)
    href = reverse("events:detail", args=[session.group.slug, session.pk])
    return render(
        request,
        "events/bookings.jinja",
        error=error,
        session=session,
        rows=rows,
        error_href=presenters.error_href(request.POST.get("do", ""), rows, marking=marking),
        can_mark=marking,
        page=page,
        places=presenters.places_text(session, selectors.waiting_count(session)),
        breadcrumbs=_crumbs(request, (session.title, href), ("Bookings", None)),
    )


@group_member(roles=OFFICER_ROLES)
def bookings_csv(request: HttpRequest, session_id: int) -> StreamingHttpResponse:
    session = session_or_404(request, session_id)
    rows = (presenters.csv_row(b) for b in selectors.bookings_for(session=session).iterator(chunk_size=500))
    return csv_response(f"session-{session.pk}-bookings", presenters.CSV_HEAD, rows)
