from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.views.defaults import page_not_found

from gpvoice.accounts.services import InvitationError, invitation_create

from . import audit_log, rules
from .context import render
from .exports import csv_response
from .forms import InviteForm, MembershipForm
from .models import Role
from .pagination import page_caption, page_links, page_of
from .panels import home_panels
from .permissions import group_member, public, signed_in
from .selectors import group_audit_entries, group_members, group_membership, memberships_of
from .services import MembershipError, membership_remove, membership_set
from .statement import statement as accessibility_statement
from .todo import items as todo_items
from .todo import role_lines, todo_rows


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(user=request.user))
    if len(memberships) == 1:
        return redirect("core:group_home", memberships[0].group.slug)
    return render(request, "core/home.jinja", memberships=memberships)


@group_member()
def group_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/group_home.jinja",
        # To-do first: the ballots' provider brings the group's ballots up to time (the clock),
        # so the panels below read the same state.
        todo=todo_rows(todo_items(request)),
        role_lines=role_lines(request),
        panels=home_panels(request),
        can_manage_group=rules.is_admin(request.membership),  # type: ignore[attr-defined]
        breadcrumbs=[{"text": "Your groups", "href": "/"}, {"text": request.group.name}],  # type: ignore[attr-defined]
    )


@group_member()
def group_people(request: HttpRequest) -> HttpResponse:
    """The group's members, a page at a time, by name or by role (``?sort=role``)."""
    group = request.group  # type: ignore[attr-defined]
    sort = "role" if request.GET.get("sort") == "role" else "name"
    page = page_of(group_members(group=group, sort=sort), request)
    return render(
        request,
        "core/people.jinja",
        members=page.object_list,
        caption=page_caption(page, "people"),
        pages=page_links(page, request, label="Pages of people"),
        sort=sort,
        can_manage_people=rules.is_admin(request.membership),  # type: ignore[attr-defined]
        breadcrumbs=_crumbs(group, "People"),
    )


@group_member(roles=[Role.ADMIN])
def group_invite(request: HttpRequest) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                group=group,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except InvitationError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("core:group_people", group.slug)
    return render(request, "core/invite.jinja", form=form, breadcrumbs=_crumbs(group, "Invite someone"))


@group_member(roles=[Role.ADMIN])
def group_membership_edit(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Change someone's role in the group, or remove them (POST with ``remove``)."""
    group = request.group  # type: ignore[attr-defined]
    membership = group_membership(group=group, pk=membership_id)
    if membership is None:
        raise Http404("No such member in this group")
    form = MembershipForm(
        request.POST if request.method == "POST" else None, initial={"role": membership.role}
    )
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                membership_remove(membership=membership, actor=request.user)
                messages.success(request, f"{membership.user.display_name} was removed from the group.")
                return redirect("core:group_people", group.slug)
            if form.is_valid():
                membership_set(
                    group=group, user=membership.user, role=form.cleaned_data["role"], actor=request.user
                )
                messages.success(request, f"{membership.user.display_name}'s role was changed.")
                return redirect("core:group_people", group.slug)
        except MembershipError as error:
            form.add_error(None, str(error))
    return render(
        request,
        "core/membership.jinja",
        form=form,
        member=membership,
        breadcrumbs=_crumbs(group, membership.user.display_name),
    )


@group_member(roles=[Role.ADMIN])
def group_audit(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    group = request.group  # type: ignore[attr-defined]
    entries = group_audit_entries(group=group).select_related("actor")
    if request.GET.get("format") == "csv":
        return _audit_csv(group.slug, entries)
    form = audit_log.AuditFilterForm(request.GET or None)
    entries = audit_log.filtered(entries, form)
    page = audit_log.page_of(entries, before=request.GET.get("before"), after=request.GET.get("after"))
    filters = {k: str(v) for k, v in request.GET.items() if k in form.fields and v}
    return render(
        request,
        "core/audit.jinja",
        form=form,
        rows=audit_log.rows(page),
        page=page,
        filters=urlencode(filters),
        filtering=bool(filters),
        breadcrumbs=_crumbs(group, "Audit log"),
    )


def _audit_csv(slug: str, entries: object) -> StreamingHttpResponse:
    header = ["id", "at", "actor", "action", "object_type", "object_id", "data", "entry_hash"]
    rows = (
        [e.id, e.at.isoformat(), e.actor_label, e.action, e.object_type, e.object_id, e.data, e.entry_hash]
        for e in entries.order_by("id").iterator()  # type: ignore[attr-defined]
    )
    return csv_response(f"{slug}-audit", header, rows)


def _crumbs(group: object, current: str) -> list[dict[str, str]]:
    from django.urls import reverse

    return [
        {"text": "Your groups", "href": reverse("core:home")},
        {"text": group.name, "href": reverse("core:group_home", args=[group.slug])},  # type: ignore[attr-defined]
        {"text": current},
    ]


@public
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 while the database (and a shared cache, when configured) answers;
    otherwise 503 naming what failed, e.g. ``{"status": "unavailable", "failed": ["database"]}``."""
    from .health import failed_probes

    failed = failed_probes()
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja", statement=accessibility_statement())


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.jinja")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or stale form post: a clear page, and nothing changed."""
    return render(request, "403_csrf.html", status=403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 for every unknown address: the NHS.UK page, or JSON under the API (as its schema says)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Not Found"}, status=404)
    return page_not_found(request, exception)
