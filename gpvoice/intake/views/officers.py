"""The officers' side: the triage queue, one request's page and its actions, service levels, categories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gpvoice.ballots import selectors as ballot_selectors
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.exports import csv_response
from gpvoice.core.models import OFFICER_ROLES, LeadershipGroup
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member
from gpvoice.governance import selectors as governance_selectors
from gpvoice.governance.services import GovernanceError

from .. import conf, forms, presenters, reports, selectors, services
from ..models import AccessRequest, Status
from ..servicelevels import DAYS_KEPT, days_text
from .public import attachment_response

PAGE_SIZE = 50


def _group(request: HttpRequest) -> LeadershipGroup:
    return request.group  # type: ignore[attr-defined]


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    return group_crumbs(request, ("Requests", reverse("intake:queue", args=[_group(request).slug])), *trail)


@group_member(roles=OFFICER_ROLES)
def queue(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    group = _group(request)
    status = request.GET.get("status", "")
    rows = selectors.queue(group=group, status=status)
    if request.GET.get("format") == "csv":
        return csv_response(
            f"{group.slug}-requests",
            ["reference", "received", "status", "organisation", "subject", "category", "priority", "due"],
            (
                [
                    r.reference,
                    presenters.when(r.received_at),
                    r.get_status_display(),
                    r.organisation_name,
                    r.subject,
                    r.category.name if r.category else "",
                    r.priority,
                    r.due_on or "",
                ]
                for r in rows.iterator(chunk_size=500)
            ),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/queue.jinja",
        rows=presenters.queue_rows(list(page.object_list), group.slug),
        page=page,
        current_status=status if status in Status.values else "",
        statuses=[(s.value, s.label) for s in Status if s != Status.UNVERIFIED],
        front_door=reverse("intake:front_door", args=[group.slug]),
        breadcrumbs=group_crumbs(request, ("Requests", None)),
    )


def _request(request: HttpRequest, reference: str) -> AccessRequest:
    found = selectors.request_for(group=_group(request), reference=reference)
    if found is None:
        raise Http404("No such request")
    return found


def _forms(req: AccessRequest, membership: Any, data: Any = None) -> dict[str, Any]:
    group = req.group
    return {
        "triage": forms.TriageForm(
            data if data and data.get("action") == "triage" else None,
            categories=selectors.categories_for(group=group),
            leads=selectors.possible_leads(group=group),
            initial={
                "category": req.category_id,
                "priority": req.priority,
                "lead": req.lead.email if req.lead else "",
            },
            prefix="triage",
        ),
        "write": forms.WriteForm(data if data and data.get("action") == "write" else None, prefix="write"),
        "answer": forms.AnswerForm(
            data if data and data.get("action") == "answer" else None, prefix="answer"
        ),
        "decide": forms.DecideForm(
            data if data and data.get("action") == "decide" else None,
            categories=governance_selectors.categories(group=group),
            prefix="decide",
        ),
        "ballot": forms.BallotForm(
            data if data and data.get("action") == "ballot" else None,
            ballots=ballot_selectors.ballots_to_come(membership=membership),
            prefix="ballot",
        ),
        "merge": forms.MergeForm(
            data if data and data.get("action") == "merge" else None,
            targets=selectors.merge_targets(request=req),
            prefix="merge",
        ),
        "decline": forms.DeclineForm(
            data if data and data.get("action") == "decline" else None, prefix="decline"
        ),
    }


def _act(action: str, req: AccessRequest, actor: Any, form: Any) -> Callable[[], object] | None:
    """The service call for an action whose form (if any) is valid."""
    c = form.cleaned_data if form is not None else {}
    calls: dict[str, Callable[[], object]] = {
        "triage": lambda: services.request_triage(
            request=req,
            actor=actor,
            category=c.get("category"),
            priority=c.get("priority"),
            lead=c.get("lead"),
        ),
        "write": lambda: services.request_write(
            request=req, actor=actor, body=c.get("body"), wait=c.get("wait", False)
        ),
        "answer": lambda: services.request_answer(request=req, actor=actor, body=c.get("body")),
        "decide": lambda: services.request_decide(
            request=req,
            actor=actor,
            category=c.get("category"),
            title=c.get("title"),
            rationale=c.get("rationale"),
            amount=c.get("amount"),
            body=c.get("body"),
        ),
        "ballot": lambda: services.request_put_to_ballot(request=req, actor=actor, ballot=c.get("ballot")),
        "merge": lambda: services.request_merge(request=req, into=c.get("into"), actor=actor),
        "decline": lambda: services.request_decline(request=req, actor=actor, reason=c.get("reason")),
        "refer": lambda: services.request_refer(request=req, actor=actor),
        "close": lambda: services.request_close(request=req, actor=actor),
        "start": lambda: services.request_start(request=req, actor=actor),
        "revoke": lambda: services.tracking_revoke(request=req, actor=actor),
        "nominee": lambda: services.request_mark_nominee(
            request=req, actor=actor, is_nominee=not req.is_nominee_request
        ),
    }
    return calls.get(action)


DONE = {
    "triage": "Triage saved.",
    "write": "Your message has been sent.",
    "answer": "The answer has been sent.",
    "decide": "The decision is recorded and the answer sent.",
    "ballot": "The request is linked to the ballot.",
    "merge": "The request has been merged.",
    "decline": "The request has been declined.",
    "refer": "The request is referred to the group's next meeting.",
    "close": "The request is closed.",
    "start": "The request is in progress.",
    "revoke": "The tracking link has been withdrawn.",
    "nominee": "The nominee flag has been changed.",
}


@group_member(roles=OFFICER_ROLES)
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    req = _request(request, reference)
    membership = request.membership  # type: ignore[attr-defined]
    data = request.POST if request.method == "POST" else None
    all_forms = _forms(req, membership, data)
    if data is not None:
        action = str(data.get("action", ""))
        form = all_forms.get(action)
        call = _act(action, req, request.user, form) if form is None or form.is_valid() else None
        if call is not None:
            try:
                call()
            except (services.IntakeError, GovernanceError) as refusal:
                (
                    form.add_error(None, str(refusal))
                    if form is not None
                    else messages.error(request, str(refusal))
                )
            else:
                messages.success(request, DONE[action])
                return redirect("intake:detail", _group(request).slug, req.reference)
        elif form is None:
            messages.error(request, "Choose one of the actions on this page.")
            return redirect("intake:detail", _group(request).slug, req.reference)
    return render(
        request,
        "intake/detail.jinja",
        req=req,
        summary=presenters.summary(req),
        basis=services.basis_of(req),
        messages_=presenters.conversation(selectors.conversation(request=req), for_requester=False),
        files=selectors.files_of(request=req),
        history=presenters.history(selectors.history_of(request=req)),
        flags=presenters.detail_flags(req, membership),
        forms=all_forms,
        status_tag=presenters.status_tag(req.status),
        breadcrumbs=_crumbs(request, (req.reference, None)),
    )


@group_member(roles=OFFICER_ROLES)
def download(request: HttpRequest, reference: str, file_id: int) -> FileResponse:
    attachment = selectors.attachment_of(request=_request(request, reference), pk=file_id)
    if attachment is None:
        raise Http404("No such file")
    return attachment_response(attachment)


@group_member(roles=OFFICER_ROLES)
def service_levels(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    group = _group(request)
    today = timezone.localdate()
    report = reports.service_report(group=group, today=today)
    if request.GET.get("format") == "csv":
        return csv_response(f"{group.slug}-service-levels", reports.MONTH_HEADER, reports.month_cells(report))
    page = page_of(reports.open_by_due_date(group=group), request)
    return render(
        request,
        "intake/service_levels.jinja",
        report=report,
        open_rows=[reports.open_row(r, today) for r in page.object_list],
        caption=page_caption(page, "open requests, soonest due first"),
        pages=page_links(page, request, label="Pages of open requests", anchor="#open"),
        days=days_text,
        warn_days=conf.warn_working_days(),
        max_days=DAYS_KEPT,
        breadcrumbs=_crumbs(request, ("Service levels", None)),
    )


@group_member(roles=OFFICER_ROLES)
def categories(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = forms.CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(
                group=group,
                actor=request.user,
                name=form.cleaned_data["name"],
                service_days=form.cleaned_data["service_days"],
            )
        except services.IntakeError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Category added.")
            return redirect("intake:categories", group.slug)
    return render(
        request,
        "intake/categories.jinja",
        form=form,
        categories=list(selectors.categories_for(group=group)),
        breadcrumbs=_crumbs(request, ("Categories", None)),
    )
