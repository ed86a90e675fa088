"""Sounding-board pages for submitters and reviewers: thin views over the selectors and services.

Every page about one plan asks ``selectors.submission_for`` first, on every request: a member who is
neither a signatory of the submitting organisation nor a reviewer with access gets a 404, as does
another group's member (the decorator) and an officer (ADR 12).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core import rules
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.context import group_of as _group
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member

from . import presenters, selectors, services
from .forms import ReviewForm, SubmissionForm
from .models import OPEN, Status, Submission


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    home = reverse("soundingboard:list", args=[_group(request).slug])
    return group_crumbs(request, ("Sounding board", home), *trail)


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    found = selectors.submission_for(group=_group(request), user=request.user, pk=submission_id)
    if found is None:
        raise Http404("No such submission")
    return found


@group_member()
def board(request: HttpRequest) -> HttpResponse:
    group, user = _group(request), request.user
    mine = page_of(selectors.mine(group=group, user=user), request, param="page")
    reviewing = page_of(selectors.my_assignments(group=group, user=user), request, param="reviews")
    return render(
        request,
        "soundingboard/list.jinja",
        mine=[presenters.my_row(group.slug, s) for s in mine.object_list],
        mine_caption=page_caption(mine, "plans"),
        mine_pages=page_links(mine, request, label="Plans", param="page"),
        reviewing=[presenters.assignment_row(group.slug, a) for a in reviewing.object_list],
        reviewing_pages=page_links(reviewing, request, label="Reviews", param="reviews"),
        can_submit=bool(selectors.submitting_organisations(group=group, user=user)),
        can_manage=rules.is_officer(request.membership),  # type: ignore[attr-defined]
        breadcrumbs=group_crumbs(request, ("Sounding board", None)),
    )


@group_member()
def submission_new(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    organisations = selectors.submitting_organisations(group=group, user=request.user)
    form = SubmissionForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if organisations and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.submission_create(
                group=group,
                organisation=form.chosen(),
                title=data["title"],
                plan=data["plan"],
                perspectives=data["perspectives"],
                files=services.read_uploads(request.FILES.getlist("documents")),
                actor=request.user,
            )
        except services.SoundingBoardError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Your plan is submitted in confidence. The officers will assign reviewers."
            )
            return redirect("soundingboard:detail", group.slug, submission.pk)
    return render(
        request,
        "soundingboard/new.jinja",
        form=form,
        can_submit=bool(organisations),
        max_files=settings.SOUNDINGBOARD_MAX_FILES,
        breadcrumbs=_crumbs(request, ("Submit a plan", None)),
    )


def _detail_post(request: HttpRequest, submission: Submission) -> str | None:
    do = request.POST.get("do", "")
    try:
        if do == "withdraw":
            services.submission_withdraw(submission=submission, actor=request.user)
            messages.success(request, "The plan is withdrawn. Its reviewers can no longer read it.")
        elif do == "read":
            services.review_read(submission=submission, actor=request.user)
            messages.success(request, "The reviews are marked as read.")
        else:
            return "Choose what to do."
    except services.SoundingBoardError as refusal:
        return str(refusal)
    return None


@group_member()
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    group = _group(request)
    submission = _submission(request, submission_id)
    is_submitter = selectors.is_signatory_of(submission=submission, user=request.user)
    refusal = None
    if request.method == "POST":
        refusal = _detail_post(request, submission) if is_submitter else "Only a signatory can do that."
        if refusal is None:
            return redirect("soundingboard:detail", group.slug, submission.pk)
        submission = _submission(request, submission_id)
    assignment = None if is_submitter else selectors.assignment_of(submission=submission, user=request.user)
    reviews = selectors.reviews(submission=submission) if is_submitter else []
    return render(
        request,
        "soundingboard/detail.jinja",
        submission=submission,
        summary=presenters.summary(submission),
        plan=presenters.plan_html(submission),
        documents=presenters.document_rows(
            group.slug, submission, selectors.documents(submission=submission)
        ),
        reviews=[presenters.review_card(r, n) for n, r in enumerate(reviews, start=1)],
        is_submitter=is_submitter,
        can_withdraw=is_submitter and submission.status in OPEN,
        can_mark_read=is_submitter and submission.status == Status.RETURNED,
        review_href=reverse("soundingboard:review", args=[group.slug, submission.pk]) if assignment else "",
        refusal=refusal,
        breadcrumbs=_crumbs(request, (submission.reference, None)),
    )


@group_member()
def review(request: HttpRequest, submission_id: int) -> HttpResponse:
    group = _group(request)
    submission = _submission(request, submission_id)
    assignment = selectors.assignment_of(submission=submission, user=request.user)
    if assignment is None:
        raise Http404("No such review")
    returned = getattr(assignment, "review", None) if assignment.returned_at else None
    form = ReviewForm(request.POST if request.method == "POST" else None, submission=submission)
    if returned is None and request.method == "POST" and form.is_valid():
        try:
            services.review_return(submission=submission, answers=form.cleaned_data, actor=request.user)
        except services.SoundingBoardError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Your review is returned. The practice's signatories are told it is ready."
            )
            return redirect("soundingboard:review", group.slug, submission.pk)
    return render(
        request,
        "soundingboard/review.jinja",
        submission=submission,
        summary=presenters.summary(submission),
        plan=presenters.plan_html(submission),
        documents=presenters.document_rows(
            group.slug, submission, selectors.documents(submission=submission)
        ),
        form=form,
        returned=presenters.review_card(returned, 1) if returned else None,
        access_ends=presenters.day(assignment.access_ends_at),
        can_return=returned is None and submission.status in OPEN,
        breadcrumbs=_crumbs(
            request,
            (submission.reference, reverse("soundingboard:detail", args=[group.slug, submission.pk])),
            ("Review", None),
        ),
    )


@group_member()
def document_download(request: HttpRequest, submission_id: int, document_id: int) -> FileResponse:
    """A document, checked on every request: never cached, never sniffed, never a reusable link."""
    submission = _submission(request, submission_id)
    document = selectors.document_for(submission=submission, pk=document_id)
    if document is None:
        raise Http404("No such document")
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
