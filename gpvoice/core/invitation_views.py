"""The group's open invitations, for its admins: resend or withdraw each (POST, redirect, get)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gpvoice.accounts.services import InvitationError, invitation_resend, invitation_revoke, open_invitations

from .context import render
from .formats import day
from .models import LeadershipGroup, Role
from .permissions import group_member

PAGE_SIZE = 50


def _rows(page: object) -> list[dict[str, object]]:
    now = timezone.now()
    return [
        {
            "invitation": i,
            "sent": day(i.created_at),
            "state": f"Link expires {day(i.expires_at)}"
            if i.expires_at > now
            else f"Expired {day(i.expires_at)}",
        }
        for i in page  # type: ignore[attr-defined]
    ]


@group_member(roles=[Role.ADMIN])
def group_invitations(request: HttpRequest) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    if request.method == "POST":
        return _act(request, group)
    page = Paginator(open_invitations(group=group), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/invitations.jinja",
        page=page,
        rows=_rows(page),
        breadcrumbs=[
            {"text": "Your groups", "href": reverse("core:home")},
            {"text": group.name, "href": reverse("core:group_home", args=[group.slug])},
            {"text": "People", "href": reverse("core:group_people", args=[group.slug])},
            {"text": "Invitations"},
        ],
    )


def _act(request: HttpRequest, group: LeadershipGroup) -> HttpResponse:
    chosen = request.POST.get("resend") or request.POST.get("revoke") or ""
    invitation = (
        open_invitations(group=group).filter(pk=chosen).first()
        if chosen.isascii() and chosen.isdigit()
        else None
    )
    if invitation is None:
        raise Http404("No such open invitation in this group")
    try:
        if "resend" in request.POST:
            invitation_resend(
                invitation=invitation, actor=request.user, base_url=request.build_absolute_uri("/")
            )
            messages.success(
                request, f"The invitation was sent again to {invitation.email}, with a new link."
            )
        else:
            invitation_revoke(invitation=invitation, actor=request.user)
            messages.success(
                request, f"The invitation to {invitation.email} was withdrawn; its link no longer works."
            )
    except InvitationError as refusal:
        messages.error(request, str(refusal))
    return redirect("core:group_invitations", group.slug)
