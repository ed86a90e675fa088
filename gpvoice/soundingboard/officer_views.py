"""The officers' side: which submissions exist, whose, their status and reviewers; never the plan.

Officers assign reviewers here. The page reads the submission through ``selectors.officer_view``,
which loads neither the title nor the plan (ADR 12).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member

from . import presenters, selectors, services
from .forms import AssignForm
from .models import OPEN


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    slug = request.group.slug  # type: ignore[attr-defined]
    return group_crumbs(
        request,
        ("Sounding board", reverse("soundingboard:list", args=[slug])),
        ("Submissions", reverse("soundingboard:manage", args=[slug]) if trail else None),
        *trail,
    )


@group_member(roles=OFFICER_ROLES)
def manage_list(request: HttpRequest) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    page = page_of(selectors.officer_list(group=group), request)
    return render(
        request,
        "soundingboard/manage.jinja",
        rows=[presenters.officer_row(group.slug, s) for s in page.object_list],
        caption=page_caption(page, "submissions"),
        pages=page_links(page, request, label="Submissions"),
        breadcrumbs=_crumbs(request),
    )


@group_member(roles=OFFICER_ROLES)
def manage_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    found = selectors.officer_view(group=group, pk=submission_id)
    if found is None:
        raise Http404("No such submission")
    submission = found.submission
    if request.method == "POST" and "remove" in request.POST:
        try:
            services.reviewer_remove(
                submission=submission, assignment_id=request.POST["remove"], actor=request.user
            )
        except services.SoundingBoardError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "The reviewer is removed from the plan and can no longer read it.")
        return redirect("soundingboard:manage_detail", group.slug, submission.pk)
    form = AssignForm(request.POST if request.method == "POST" else None)
    conflicts: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewer_assign(
                submission=submission,
                email=form.cleaned_data["email"],
                override_reason=form.cleaned_data["override_reason"],
                actor=request.user,
            )
        except services.ConflictsFound as found_conflicts:
            conflicts = found_conflicts.found
            form.add_error("override_reason", str(found_conflicts))
        except services.SoundingBoardError as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(request, "The reviewer is assigned and told by email.")
            return redirect("soundingboard:manage_detail", group.slug, submission.pk)
    return render(
        request,
        "soundingboard/manage_detail.jinja",
        submission=submission,
        summary=presenters.summary(submission),
        reviewers=[
            presenters.reviewer_row(a, plan_open=submission.status in OPEN) for a in found.assignments
        ],
        form=form,
        conflicts=conflicts,
        can_assign=submission.status in OPEN,
        breadcrumbs=_crumbs(request, (submission.reference, None)),
    )
