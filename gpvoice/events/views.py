"""Session pages: thin views that parse, call a service or selector, and render a presenter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.context import group_of as _group
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.permissions import group_member, public

from . import presenters, selectors, services
from .forms import SessionForm
from .models import Session

PAGE_SIZE = 25
BOOKED = "Your place is booked; the invitation is in your email."
WAITING = "The session is full, so you are on the waiting list. We will email you if a place comes free."


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    return group_crumbs(request, ("Sessions", reverse("events:list", args=[_group(request).slug])), *trail)


def session_or_404(request: HttpRequest, session_id: int) -> Session:
    session = selectors.session_for(group=_group(request), pk=session_id)
    if session is None:
        raise Http404("No such session")
    return session


@group_member()
def session_list(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    page = Paginator(selectors.sessions_for(group=group), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/list.jinja",
        rows=[presenters.list_row(s) for s in page.object_list],
        page=page,
        can_manage=selectors.can_manage(request.membership),  # type: ignore[attr-defined]
        breadcrumbs=group_crumbs(request, ("Sessions", None)),
    )


def _details(data: dict[str, Any]) -> services.Details:
    return services.Details(**{name: data[name] for name in SessionForm.base_fields})


@group_member(roles=OFFICER_ROLES)
def session_new(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = SessionForm(
        request.POST if request.method == "POST" else None, initial=SessionForm.initial_values()
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                group=group, details=_details(form.cleaned_data), actor=request.user
            )
        except services.EventError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The session is set up.")
            return redirect("events:detail", group.slug, session.pk)
    return render(
        request,
        "events/form.jinja",
        form=form,
        heading="Set up a session",
        submit="Set up the session",
        breadcrumbs=_crumbs(request, ("Set up a session", None)),
    )


def _detail_post(request: HttpRequest, session: Session, *, via_link: bool = False) -> str:
    """Book, give up a place or leave the waiting list; the refusal's text, or "" when done."""
    what = request.POST.get("do", "")
    try:
        if what == "book":
            booking = services.booking_make(session=session, actor=request.user, via_link=via_link)
            booked = booking.status == "booked"
            messages.success(request, BOOKED if booked else WAITING)
        elif what == "leave":
            services.booking_cancel(session=session, actor=request.user)
            messages.success(request, "Your booking is cancelled.")
        else:
            return "Choose what to do."
    except services.EventError as refusal:
        return str(refusal)
    return ""


def detail_context(request: HttpRequest, session: Session, *, via_link: bool = False) -> dict[str, Any]:
    mine = selectors.booking_of(session=session, user=request.user)
    ahead = selectors.waiting_ahead(mine) if mine is not None else 0
    refusal = "" if mine else services.audience_refusal(session, request.user, via_link=via_link)
    return {
        "session": session,
        "summary": presenters.summary(session, selectors.waiting_count(session)),
        "description": presenters.description(session),
        "me": presenters.viewer(session, mine, ahead=ahead, refusal=refusal),
    }


@group_member()
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_or_404(request, session_id)
    error = ""
    if request.method == "POST":
        error = _detail_post(request, session)
        if not error:
            return redirect("events:detail", session.group.slug, session.pk)
    return render(
        request,
        "events/detail.jinja",
        error=error,
        can_manage=selectors.can_manage(request.membership),  # type: ignore[attr-defined]
        share_link=presenters.share_link(session),
        breadcrumbs=_crumbs(request, (session.title, None)),
        **detail_context(request, session),
    )


@public
def session_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """A session whose audience is "anyone with the link": any signed-in person may book from here."""
    session = selectors.linked_session(token)
    if session is None or session.audience != "link":
        return render(request, "events/gone.jinja", status=410, reason="This link is not valid.")
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        error = _detail_post(request, session, via_link=True)
        if not error:
            return redirect("events:link", token)
    return render(
        request,
        "events/detail.jinja",
        error=error,
        can_manage=False,
        share_link="",
        signed_in=request.user.is_authenticated,
        login_href=f"{reverse('account_login')}?next={request.path}",
        **detail_context(request, session, via_link=True),
    )


@public
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """An offered place, from the emailed link: accept it or let it pass to the next person."""
    found = selectors.offer_from(token)
    if found is None:
        return render(request, "events/gone.jinja", status=410, reason="This offer link is not valid.")
    booking, stamp = found
    error = ""
    if request.method == "POST":
        what = request.POST.get("do", "")
        try:
            if what == "accept":
                services.offer_accept(booking_id=booking.pk, offered_at=stamp, actor=request.user)
                messages.success(request, "The place is yours; the invitation is in your email.")
            elif what == "decline":
                services.offer_decline(booking_id=booking.pk, offered_at=stamp, actor=request.user)
                messages.success(request, "Thank you: the place has passed to the next person waiting.")
            else:
                raise services.EventError("Choose to accept or decline the place.")
        except services.EventError as refusal:
            error = str(refusal)
        else:
            return redirect("events:offer", token)
    booking.refresh_from_db()
    return render(
        request,
        "events/offer.jinja",
        error=error,
        session=booking.session,
        summary=presenters.summary(booking.session, 0),
        open=presenters.offer_open(booking, stamp),
        state=booking.get_status_display(),
        until=presenters.offer_until(booking),
    )
